"""The honour roll as a 光荣榜: cards with photo (or initial), name, unit path, honorary title and
the office's achievement write-up (事迹简介); one page per member where the office keeps the photo
and write-up; a poster PDF for HR and the leadership group."""

import io
import re
import subprocess
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.errors import DomainError, RoleRequired
from core.models import AuditEvent, DownloadRecord
from core.roles import Role
from ranking import services
from ranking.models import CITATION_MAX_LENGTH, HonourCitation, RankingEntry
from tests.factories import UserFactory, make_unit
from tests.ranking.factories import preview, staff_with_scores

WRITE_UP = "全年新签大客户合同 12 份，带教新人 3 名。"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def image(colour=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def login(user, lang="zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(  # noqa: S603
            [f"/usr/bin/{tool}", *args, f.name, *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
        ).stdout.decode()


def pages(info: str) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))


def squeezed(text: str) -> str:
    return "".join(text.split())


def committed_run(scores, ladder, hr_user, *, n: int, top_units=()):
    """A committed run of ``n`` staff at L2 (KPI 50, 51, …): the top ⌈5 %⌉ are on the honour
    roll, best first; ``top_units`` puts the best ones in those units."""
    scores.kpi.year = 2025
    people = staff_with_scores(scores, ladder[1], [50 + i for i in range(n)])
    for person, unit in zip(reversed(people), top_units, strict=False):
        type(person).objects.filter(pk=person.pk).update(unit=unit)
    run = preview(hr_user, ladder[0].track, year=2025)
    services.run_commit(actor=hr_user, run=run)
    top = list(RankingEntry.objects.filter(run=run, in_top_band=True).order_by("rank"))
    return run, top


@pytest.fixture
def units(db):
    root = make_unit("ROOT", name="粤海通信")
    gz = make_unit("GZ", root, "广州分公司")
    sz = make_unit("SZ", root, "深圳分公司")
    return [make_unit("GZKA", gz, "大客户部"), make_unit("SZKA", sz, "大客户部"), gz]


# -- the write-up ---------------------------------------------------------------------------


def test_the_office_writes_edits_and_clears_a_write_up_each_change_audited(scores, ladder, hr_user):
    run, top = committed_run(scores, ladder, hr_user, n=60)
    staff = top[0].staff
    citation = services.honour_citation_set(actor=hr_user, run=run, staff=staff, text=" 初稿 \n")
    assert citation.text == "初稿" and citation.updated_by == hr_user
    services.honour_citation_set(actor=hr_user, run=run, staff=staff, text=WRITE_UP)
    services.honour_citation_set(actor=hr_user, run=run, staff=staff, text=WRITE_UP)  # no change
    assert services.honour_citation_set(actor=hr_user, run=run, staff=staff, text="  ") is None
    assert not HonourCitation.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="citation_").order_by("id")
    assert [(e.action, e.changes["text"]) for e in events] == [
        ("citation_add", ["", "初稿"]),
        ("citation_edit", ["初稿", WRITE_UP]),
        ("citation_remove", [WRITE_UP, ""]),
    ]


def test_a_write_up_is_at_most_300_characters(scores, ladder, hr_user):
    run, top = committed_run(scores, ladder, hr_user, n=60)
    staff = top[0].staff
    assert CITATION_MAX_LENGTH == 300
    services.honour_citation_set(actor=hr_user, run=run, staff=staff, text="优" * 300)
    with pytest.raises(DomainError) as err:
        services.honour_citation_set(actor=hr_user, run=run, staff=staff, text="优" * 301)
    assert err.value.code == "citation_too_long"
    assert HonourCitation.objects.get().text == "优" * 300


def test_only_the_office_and_only_for_members_of_the_roll(scores, ladder, hr_user):
    run, top = committed_run(scores, ladder, hr_user, n=60)
    with pytest.raises(RoleRequired):
        services.honour_citation_set(
            actor=UserFactory(roles=[Role.LEADERSHIP]), run=run, staff=top[0].staff, text="x"
        )
    not_top = RankingEntry.objects.filter(run=run, in_top_band=False).first().staff
    with pytest.raises(DomainError) as err:
        services.honour_citation_set(actor=hr_user, run=run, staff=not_top, text="x")
    assert err.value.code == "not_on_honour_roll"
    assert not HonourCitation.objects.exists()


# -- the pages -------------------------------------------------------------------------------


def test_the_roll_shows_cards_and_one_edit_link_per_member_no_file_pickers(
    scores, ladder, hr_user, units
):
    run, top = committed_run(scores, ladder, hr_user, n=60, top_units=units)
    assert len(top) == 3  # ⌈60 × 5 %⌉
    services.honour_citation_set(actor=hr_user, run=run, staff=top[0].staff, text=WRITE_UP)
    html = login(hr_user).get(reverse("ranking:honour-roll")).content.decode()
    assert html.count('data-testid="honour-card"') == 3
    assert 'type="file"' not in html
    for entry in top:
        url = reverse("ranking:honour-member", args=[run.pk, entry.staff_id])
        assert html.count(f'href="{url}"') == 1
    assert "广州分公司 / 大客户部" in html and "深圳分公司 / 大客户部" in html
    assert html.count(WRITE_UP) == 1
    assert reverse("ranking:honour-poster", args=[run.pk]) in html

    staff_html = login(UserFactory(roles=[Role.STAFF])).get(reverse("ranking:honour-roll"))
    staff_html = staff_html.content.decode()
    assert staff_html.count('data-testid="honour-card"') == 3 and WRITE_UP in staff_html
    assert "/members/" not in staff_html and "poster.pdf" not in staff_html


@pytest.mark.parametrize("n", [60, 200])
def test_the_roll_runs_a_constant_number_of_queries(
    scores, ladder, hr_user, n, django_assert_max_num_queries
):
    run, top = committed_run(scores, ladder, hr_user, n=n)
    assert len(top) == {60: 3, 200: 10}[n]
    for entry in top:
        services.honour_citation_set(actor=hr_user, run=run, staff=entry.staff, text=WRITE_UP)
    client = login(hr_user)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("ranking:honour-roll")).content.decode()
    assert html.count(WRITE_UP) == len(top)


def test_the_member_page_keeps_photo_and_write_up_in_one_place(scores, ladder, hr_user):
    run, top = committed_run(scores, ladder, hr_user, n=60)
    staff = top[1].staff
    url = reverse("ranking:honour-member", args=[run.pk, staff.pk])
    client = login(hr_user, "en")
    page = client.get(url).content.decode()
    assert page.count('type="file"') == 1 and "Save write-up" in page
    response = client.post(
        reverse("ranking:honour-photo-add"), {"run": run.pk, "staff": staff.pk, "photo": image()}
    )
    assert response["Location"] == url
    response = client.post(url, {"text": WRITE_UP})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert WRITE_UP in page and "Replace photo" in page and "Remove photo" in page
    too_long = client.post(url, {"text": "优" * 301}).content.decode()
    assert "at most 300 characters (it has 301)" in too_long and 'id="text-error"' in too_long
    assert HonourCitation.objects.get().text == WRITE_UP


def test_the_member_page_is_the_offices_and_only_for_members_of_the_roll(scores, ladder, hr_user):
    run, top = committed_run(scores, ladder, hr_user, n=60)
    url = reverse("ranking:honour-member", args=[run.pk, top[0].staff_id])
    assert login(UserFactory(roles=[Role.LEADERSHIP])).get(url).status_code == 403
    assert login(UserFactory(roles=[Role.STAFF])).post(url, {"text": "x"}).status_code == 403
    not_top = RankingEntry.objects.filter(run=run, in_top_band=False).first()
    other = reverse("ranking:honour-member", args=[run.pk, not_top.staff_id])
    assert login(hr_user).get(other).status_code == 404
    assert not HonourCitation.objects.exists()


# -- the poster ------------------------------------------------------------------------------


def test_the_poster_pdf_has_names_units_titles_write_ups_and_photos(scores, ladder, hr_user, units):
    run, top = committed_run(scores, ladder, hr_user, n=60, top_units=units)
    services.honour_citation_set(actor=hr_user, run=run, staff=top[0].staff, text=WRITE_UP)
    services.honour_citation_set(actor=hr_user, run=run, staff=top[2].staff, text="服务标兵")
    services.honour_photo_set(actor=hr_user, run=run, staff=top[0].staff, upload=image())
    services.honour_photo_set(actor=hr_user, run=run, staff=top[1].staff, upload=image())
    leader = UserFactory(roles=[Role.LEADERSHIP])
    response = login(leader).get(reverse("ranking:honour-poster", args=[run.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = squeezed(poppler("pdftotext", pdf, "-enc", "UTF-8"))
    assert "光荣榜" in text and "粤海通信股份有限公司" in text
    for entry in top:
        assert squeezed(entry.staff.name) in text
    for path in ("广州分公司/大客户部", "深圳分公司/大客户部", "广州分公司"):
        assert path in text
    assert squeezed(WRITE_UP) in text and "服务标兵" in text
    title = ladder[1].honorary_title
    if title:
        assert text.count(title) == 3
    info = poppler("pdfinfo", pdf)
    assert pages(info) == 1 and "841.89 x 595.276 pts (A4)" in info  # one A4 landscape page
    images = poppler("pdfimages", pdf, "-list").splitlines()[2:]
    assert len(images) == 2  # the two photos, embedded
    record = DownloadRecord.objects.get()
    assert (record.kind, record.object_id, record.user) == ("export", str(run.pk), leader)
    assert record.object_repr == f"honour-roll-{run.track.code}-2025.pdf"


def test_a_long_roll_takes_more_pages(scores, ladder, hr_user):
    run, top = committed_run(scores, ladder, hr_user, n=200)
    for entry in top:
        services.honour_citation_set(actor=hr_user, run=run, staff=entry.staff, text="优" * 300)
    pdf = login(hr_user).get(reverse("ranking:honour-poster", args=[run.pk])).content
    text = squeezed(poppler("pdftotext", pdf, "-enc", "UTF-8"))
    assert all(squeezed(e.staff.name) in text for e in top)
    assert pages(poppler("pdfinfo", pdf)) == 2


def test_only_hr_and_the_leadership_group_print_the_poster(scores, ladder, hr_user):
    run, _top = committed_run(scores, ladder, hr_user, n=60)
    url = reverse("ranking:honour-poster", args=[run.pk])
    for role in (Role.STAFF, Role.MANAGER, Role.COMMITTEE):
        assert login(UserFactory(roles=[role])).get(url).status_code == 403
    assert not DownloadRecord.objects.exists()
