"""HR-editable letter templates: validation, versions, the next letter, the preview, access."""

import hashlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import pdf as core_pdf
from core.audit import AuditEvent
from core.errors import InvalidTransition
from core.roles import Role
from letters import rendering, services, template_services, wording
from letters.builtin_wording import builtin_parts
from letters.models import Letter, LetterTemplate
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory

from .conftest import promote
from .helpers import pdf_text, stored_file

pytestmark = pytest.mark.django_db

API = "/api/v1/letters/templates/"


def _parts(**changes):
    return {**builtin_parts("promotion", "zh-hans"), **changes}


def _page(user, language="en"):
    page = Client()
    page.force_login(user)
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return page


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{{ salary }}", "Unknown field “salary”"),
        ("{% load static %}", "Template tags"),
        ("{# note #}", "Template tags"),
        ("{{ staff_name|upper }}", "is not a plain field"),
        ("{{ staff_name.__class__ }}", "is not a plain field"),
        ("{{ staff_name", "not closed"),
    ],
)
def test_only_known_plain_fields_are_accepted(text, needle):
    with translation.override("en"):
        errors = wording.check("promotion", _parts(body=f"聘任你。{text}"))
    assert list(errors) == ["body"]
    assert needle in " ".join(errors["body"])


def test_an_adverse_notice_cannot_name_a_benefit():
    with translation.override("en"):
        errors = wording.check(
            "demotion", {**builtin_parts("demotion", "zh-hans"), "closing": "{{ allowance }}"}
        )
    assert "Unknown field “allowance”" in errors["closing"][0]
    assert wording.check("demotion", builtin_parts("demotion", "zh-hans")) == {}


def test_every_built_in_wording_is_valid():
    for kind in wording.KINDS:
        for language in ("zh-hans", "en"):
            assert wording.check(kind, builtin_parts(kind, language)) == {}, (kind, language)


def test_values_are_escaped_and_empty_fields_drop_their_paragraph():
    paragraphs = wording.paragraphs(
        "致{{ staff_name }}\n荣誉称号：{{ honorary_title }}\n<b>完</b>",
        {"staff_name": '<img src="http://evil.example/x.png">', "honorary_title": ""},
    )
    assert paragraphs == [
        "致&lt;img src=&quot;http://evil.example/x.png&quot;&gt;",
        "&lt;b&gt;完&lt;/b&gt;",
    ]


def test_api_refuses_unknown_field_per_part(office):
    response = client_for(office).post(
        API,
        {"kind": "promotion", "language": "zh-hans", **_parts(title="{{ bonus }}", cc="{% now %}")},
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"title", "cc"}
    assert "bonus" in body["title"][0]
    assert not LetterTemplate.objects.exists()


def test_page_shows_the_error_under_its_part(office):
    response = _page(office).post(
        reverse("letters:template-edit", args=["promotion", "zh-hans"]),
        _parts(body="{{ staff_name|safe }}"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="body-error"' in html and "is not a plain field" in html
    assert not LetterTemplate.objects.exists()


# --- versions -----------------------------------------------------------------------------------


def test_draft_versions_publish_and_immutability(office):
    first = template_services.template_draft_save(
        actor=office, kind="promotion", language="zh-hans", parts=_parts(closing="特此聘任！")
    )
    again = template_services.template_draft_save(
        actor=office, kind="promotion", language="zh-hans", parts=_parts(closing="特此聘任。")
    )
    assert (first.pk, again.version, again.closing) == (again.pk, 1, "特此聘任。")
    published = template_services.template_publish(actor=office, template=again)
    assert (published.state, published.published_by) == ("published", office)

    with pytest.raises(TypeError):
        published.closing = "改"
        published.save()
    api = client_for(office)
    assert api.patch(f"{API}{published.pk}/", {"closing": "改"}).status_code == 409
    assert api.post(f"{API}{published.pk}/publish/").status_code == 409

    second = template_services.template_draft_save(
        actor=office, kind="promotion", language="zh-hans", parts=_parts(title="聘任通知")
    )
    assert second.version == 2
    template_services.template_publish(actor=office, template=second)
    states = dict(LetterTemplate.objects.values_list("version", "state"))
    assert states == {1: "superseded", 2: "published"}
    actions = list(
        AuditEvent.objects.filter(action__startswith="letter_template:")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "letter_template:create",
        "letter_template:update",
        "letter_template:publish",
        "letter_template:create",
        "letter_template:supersede",
        "letter_template:publish",
    ]


def test_published_wording_changes_the_next_letter_not_the_issued_one(ladder, office, promoted):
    before = services.letter_issue(actor=office, appointment=promoted, language="zh-hans")
    path = stored_file(before, settings.PRIVATE_MEDIA_ROOT)
    sha_before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert before.template is None
    assert "特此聘任。" in pdf_text(path.read_bytes())

    draft = template_services.template_draft_save(
        actor=office,
        kind="promotion",
        language="zh-hans",
        parts=_parts(title="岗位聘任书", closing="特此聘任，望再接再厉。"),
    )
    version = template_services.template_publish(actor=office, template=draft)

    other = StaffFactory(name="李娜", employee_no="K10002", level=ladder[1])
    after = services.letter_issue(
        actor=office, appointment=promote(other, ladder[2]), language="zh-hans"
    )
    text = pdf_text(stored_file(after, settings.PRIVATE_MEDIA_ROOT).read_bytes())
    assert after.template == version
    assert "岗位聘任书" in text and "特此聘任，望再接再厉。" in text and "李娜同志" in text
    assert "2026年1月1日至2028年12月31日" in text  # the term's last day, through the field
    # The letter issued before keeps its bytes; an English letter still has the built-in wording.
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha_before == before.sha256
    assert Letter.objects.get(pk=before.pk).template_id is None
    english = services.letter_issue(
        actor=office,
        appointment=promote(StaffFactory(level=ladder[1]), ladder[2]),
        language="en",
    )
    assert english.template is None


# --- preview ------------------------------------------------------------------------------------


def test_two_first_drafts_at_the_same_moment_answer_409_not_500(office, monkeypatch):
    """Two editors create the very first draft of a kind and language at once: nothing to lock
    yet, so both read "no draft". The one whose insert loses is told so (409 draft_exists)."""
    other = UserFactory(roles=[Role.HR])
    theirs = template_services.template_draft_save(
        actor=other, kind="promotion", language="zh-hans", parts=_parts(closing="特此聘任！")
    )
    # this editor read the kind's drafts before the other one's committed
    monkeypatch.setattr(template_services, "draft_of", lambda **_: None)
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        template_services.template_draft_save(
            actor=office, kind="promotion", language="zh-hans", parts=_parts(closing="特此聘任。")
        )
    assert (refused.value.status, refused.value.code) == (409, "draft_exists")
    assert refused.value.message.startswith("Someone else created the draft of this letter")
    # theirs stands, unchanged; the refused attempt left nothing behind
    assert list(LetterTemplate.objects.values_list("pk", "version", "closing")) == [
        (theirs.pk, 1, "特此聘任！")
    ]
    assert AuditEvent.objects.filter(action="letter_template:create").count() == 1


def test_preview_renders_the_draft_being_edited(office):
    page = _page(office)
    url = reverse("letters:template-preview", args=["demotion", "zh-hans"])
    parts = {**builtin_parts("demotion", "zh-hans"), "closing": "预览专用结束语。"}
    response = page.post(url, parts)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    text = pdf_text(response.content)
    assert "降级通知书" in text and "预览专用结束语。" in text and "张伟同志" in text
    assert "淘汰线55.00分" in text and "元" not in text  # grounds, no benefit
    assert not LetterTemplate.objects.exists()

    refused = page.post(url, {**parts, "body": "{{ training_package }}"})
    assert refused.status_code == 400 and "training_package" in refused.content.decode()


def test_the_preview_goes_through_the_safe_url_fetcher(office, monkeypatch):
    """Markup typed into the wording prints as text, and the preview loads resources only
    through core.pdf.SafeURLFetcher (the logo from the static folders, nothing else)."""
    fetched: list[str] = []
    fetch = core_pdf.SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(core_pdf.SafeURLFetcher, "fetch", spy)
    evil = '<img src="http://evil.example/x.png"><link rel="stylesheet" href="file:///etc/passwd">'
    parts = {**builtin_parts("promotion", "zh-hans"), "closing": f"特此聘任。{evil}"}
    response = _page(office).post(
        reverse("letters:template-preview", args=["promotion", "zh-hans"]), parts
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert '特此聘任。<imgsrc="http://evil.example/x.png">' in text
    assert fetched == [rendering.static_file_uri(settings.LETTER_LOGO)]


def test_api_preview_is_a_pdf_of_the_wording_sent(office):
    response = client_for(office).post(
        f"{API}preview/",
        {"kind": "kept", "language": "en", **builtin_parts("kept", "en"), "title": "Kept"},
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Kept" in text and "Dear张伟" in text and "76.00" in text


# --- access and queries -------------------------------------------------------------------------


def test_staff_and_managers_get_403_and_unknown_kinds_404(office, org_tree):
    for user in (org_tree["report_user"], org_tree["manager_user"]):
        page = _page(user)
        assert page.get(reverse("letters:templates")).status_code == 403
        assert (
            page.get(reverse("letters:template-edit", args=["promotion", "en"])).status_code == 403
        )
        assert client_for(user).get(API).status_code == 403
        assert client_for(user).post(f"{API}preview/", {}).status_code == 403
    office_page = _page(office)
    assert office_page.get("/letters/templates/bogus/en/").status_code == 404
    assert office_page.get("/letters/templates/promotion/xx/").status_code == 404


def test_schema_lists_the_endpoints(office):
    schema = client_for(office).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert {f"{API}", f"{API}{{id}}/", f"{API}{{id}}/publish/", f"{API}preview/"} <= set(paths)


@pytest.mark.parametrize("versions", [1, 4])
def test_list_and_edit_pages_query_constant(office, versions, django_assert_max_num_queries):
    leader = UserFactory(roles=[Role.HR])
    for n in range(versions):
        for kind in ("promotion", "demotion"):
            base = builtin_parts(kind, "zh-hans")
            draft = template_services.template_draft_save(
                actor=leader, kind=kind, language="zh-hans", parts={**base, "title": f"v{n}"}
            )
            template_services.template_publish(actor=office, template=draft)
    page = _page(office)
    with django_assert_max_num_queries(14):
        assert page.get(reverse("letters:templates")).status_code == 200
    with django_assert_max_num_queries(16):
        response = page.get(reverse("letters:template-edit", args=["promotion", "zh-hans"]))
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>") >= versions


def test_a_published_wording_prints_scores_with_two_decimals():
    facts = {"ranking_score": "61.5", "recert_score": "38", "pass_line": "60.00", "rank": 39}
    values = wording.field_values(facts=facts, number="粤海人通〔2026〕1号", issue_date=None)
    assert (values["ranking_score"], values["recert_score"], values["pass_line"]) == (
        "61.50",
        "38.00",
        "60.00",
    )
    assert values["elimination_line"] == ""
