"""Pages: models, the requirement grid, rounds, assessments, rating and the profile."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.test import Client

from competency import assessments as svc
from competency.models import Rating, Requirement
from tests.competency.factories import make_model
from tests.competency.test_assessments import rate
from tests.factories import StaffFactory, make_user_for


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def model(ladder):
    return make_model(ladder=ladder, profile={"L2": {"C1": (3, 2), "C2": (4, 1), "C3": (2, 1)}})


@pytest.fixture
def finalized(model, team, hr_user):
    round_ = svc.round_create(
        actor=hr_user, model=model, name="2026 春季测评", staff=[team["alice"]]
    )
    a = round_.assessments.get()
    svc.rater_invite(actor=hr_user, assessment=a, user=team["bob_user"], rater_type="peer")
    rate(a, team["boss_user"], "manager", {"C1": 4, "C2": 4, "C3": 2})
    rate(a, team["bob_user"], "peer", {"C1": 3, "C2": 3, "C3": 1})
    rate(a, team["alice_user"], "self", {"C1": 5, "C2": 4, "C3": 1})
    svc.assessment_finalize(actor=hr_user, assessment=a, on=dt.date(2026, 6, 30))
    return a


def test_model_pages_render(model, team, hr_user, django_assert_max_num_queries):
    c = login(team["alice_user"])
    r = c.get("/competency/")
    assert r.status_code == 200 and "客户经理素质模型" in r.content.decode()
    with django_assert_max_num_queries(12):
        r = c.get(f"/competency/models/{model.pk}/")
    body = r.content.decode()
    assert r.status_code == 200 and "行为5" in body and 'data-testid="competency-C3"' in body
    assert login(hr_user).get(f"/competency/models/{model.pk}/").status_code == 200


def test_model_list_constant_queries(ladder, hr_user, django_assert_max_num_queries):
    make_model(ladder=ladder)
    from competency import services

    for m in list(services.CompetencyModel.objects.all()):
        services.model_new_draft(actor=None, source=m)
    c = login(hr_user)
    with django_assert_max_num_queries(10):
        assert c.get("/competency/").status_code == 200


def test_requirement_grid_saves_every_cell_at_once(ladder, hr_user):
    model = make_model(ladder=ladder, publish=False, profile={"L1": {"C1": (2, 1)}})
    c1, c2 = model.competencies.get(code="C1"), model.competencies.get(code="C2")
    l1, l2 = ladder[0], ladder[1]
    c = login(hr_user)
    page = c.get(f"/competency/models/{model.pk}/requirements/").content.decode()
    assert f'name="req-{l1.pk}-{c1.pk}"' in page
    data = {
        f"req-{l1.pk}-{c1.pk}": "",
        f"req-{l2.pk}-{c1.pk}": "4",
        f"w-{l2.pk}-{c1.pk}": "2.5",
        f"req-{l2.pk}-{c2.pk}": "3",
        f"w-{l2.pk}-{c2.pk}": "1",
    }
    r = c.post(f"/competency/models/{model.pk}/requirements/", data)
    assert r.status_code == 302
    cells = {
        (q.level.code, q.competency.code): (q.required_level, q.weight)
        for q in Requirement.objects.filter(model=model)
    }
    assert cells == {("L2", "C1"): (4, D("2.50")), ("L2", "C2"): (3, D("1.00"))}
    # bad input: nothing written, errors shown
    r = c.post(
        f"/competency/models/{model.pk}/requirements/", {f"req-{l2.pk}-{c1.pk}": "9"}, follow=True
    )
    assert "out of range" in r.content.decode() or "超出范围" in r.content.decode()
    assert Requirement.objects.filter(model=model).count() == 2


def test_requirement_grid_is_read_only_when_published_or_not_hr(model, team, hr_user):
    r = login(hr_user).post(f"/competency/models/{model.pk}/requirements/", {})
    assert r.status_code == 403
    page = login(team["alice_user"]).get(f"/competency/models/{model.pk}/requirements/")
    assert page.status_code == 200 and "<select" not in page.content.decode()


def test_grid_page_query_count(ladder, hr_user, django_assert_max_num_queries):
    model = make_model(ladder=ladder, codes=[f"C{i}" for i in range(15)], publish=False)
    c = login(hr_user)
    with django_assert_max_num_queries(10):
        assert c.get(f"/competency/models/{model.pk}/requirements/").status_code == 200


def test_profile_page_has_radar_gaps_and_history(finalized, team):
    r = login(team["alice_user"]).get(f"/competency/staff/{team['alice'].pk}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "<svg" in body and 'data-series="required"' in body and 'data-series="actual"' in body
    assert 'data-testid="profile-index">93.75<' in body
    assert "2026 春季测评" in body and "0.38" in body  # history row, C3 gap


def test_profile_pdf_contains_the_chart(finalized, team):
    pypdf = pytest.importorskip("pypdf")
    r = login(team["boss_user"]).get(f"/competency/staff/{team['alice'].pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    from core.models import DownloadRecord

    assert DownloadRecord.objects.get().object_id == str(team["alice"].pk)
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "93.75" in text
    content = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert (
        content.count(b" re") + content.count(b" l\n") + content.count(b" l ") > 10
    )  # vector paths


def test_out_of_scope_pages_are_404(finalized, team):
    c = login(team["outsider_user"])
    assert c.get(f"/competency/staff/{team['alice'].pk}/").status_code == 404
    assert c.get(f"/competency/staff/{team['alice'].pk}/pdf/").status_code == 404
    assert c.get(f"/competency/assessments/{finalized.pk}/").status_code == 404
    assert c.get(f"/competency/assessments/{finalized.pk}/rate/").status_code == 404
    assert c.post(f"/competency/assessments/{finalized.pk}/finalize/").status_code == 404


def test_peer_is_anonymous_on_the_rated_persons_page(finalized, team):
    body = (
        login(team["alice_user"]).get(f"/competency/assessments/{finalized.pk}/").content.decode()
    )
    assert "Bob" not in body
    assert "经理" in body  # the manager is named
    boss_body = (
        login(team["boss_user"]).get(f"/competency/assessments/{finalized.pk}/").content.decode()
    )
    assert "Bob" in boss_body


def test_rating_form_saves_every_competency_with_evidence(model, team, hr_user):
    round_ = svc.round_create(actor=hr_user, model=model, name="form", staff=[team["alice"]])
    a = round_.assessments.get()
    comps = list(model.competencies.order_by("order"))
    c = login(team["boss_user"])
    page = c.get(f"/competency/assessments/{a.pk}/rate/")
    assert page.status_code == 200 and "行为3" in page.content.decode()
    missing = {f"level-{comps[0].pk}": "3", f"evidence-{comps[0].pk}": ""}
    r = c.post(f"/competency/assessments/{a.pk}/rate/", missing)
    assert r.status_code == 200 and Rating.objects.count() == 0
    data = {}
    for comp, lvl in zip(comps, (3, 4, 2), strict=True):
        data[f"level-{comp.pk}"] = str(lvl)
        data[f"evidence-{comp.pk}"] = f"拜访客户{lvl}次"
    r = c.post(f"/competency/assessments/{a.pk}/rate/", data)
    assert r.status_code == 302
    assert sorted(Rating.objects.values_list("level", flat=True)) == [2, 3, 4]
    assert a.raters.get(user=team["boss_user"]).completed_at is not None
    r = c.post(f"/competency/assessments/{a.pk}/finalize/", follow=True)
    a.refresh_from_db()
    # C1 3 ≥ 3, C2 4 ≥ 4, C3 2 ≥ 2: every requirement met → 100.00
    assert a.status == "finalized" and a.index == D("100.00")


def test_assessment_list_and_round_pages_constant_queries(
    model, team, hr_user, django_assert_max_num_queries
):
    people = [
        StaffFactory(level=team["alice"].level, unit=team["alice"].unit, manager=team["boss"])
        for _ in range(12)
    ]
    for p in people:
        make_user_for(p)
    round_ = svc.round_create(actor=hr_user, model=model, name="big", staff=people)
    c = login(hr_user)
    with django_assert_max_num_queries(14):
        assert c.get("/competency/assessments/").status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get(f"/competency/rounds/{round_.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get("/competency/rounds/").status_code == 200
    boss = login(team["boss_user"])
    with django_assert_max_num_queries(14):
        r = boss.get("/competency/assessments/")
    assert r.content.decode().count("/rate/") == 12


def test_round_page_opens_a_round_for_a_unit(model, team, hr_user):
    c = login(hr_user)
    r = c.post(
        "/competency/rounds/new/",
        {
            "name": "销售部 2026",
            "model": model.pk,
            "unit": team["alice"].unit_id,
            "level": team["alice"].level_id,
            "weight_manager": "50",
            "weight_peer": "20",
            "weight_expert": "20",
            "weight_self": "10",
        },
    )
    assert r.status_code == 302
    from competency.models import AssessmentRound

    round_ = AssessmentRound.objects.get(name="销售部 2026")
    assert set(round_.assessments.values_list("staff__name", flat=True)) == {"Alice", "Bob"}


def test_home_card_shows_my_index_and_pending(finalized, team, model, hr_user):
    from django.template.loader import render_to_string

    from competency.dashboard import cards

    svc.round_create(actor=hr_user, model=model, name="next", staff=[team["bob"]])
    (boss,) = cards(team["boss_user"], dt.date(2026, 7, 1))
    assert boss["context"]["pending"] == 1  # Bob's manager rating
    (alice,) = cards(team["alice_user"], dt.date(2026, 7, 1))
    assert (alice["context"]["index"], alice["context"]["gaps"]) == (D("93.75"), 2)
    html = render_to_string(alice["template"], {"card": alice["context"]})
    assert 'data-testid="card-competency-index">93.75<' in html
    (hr,) = cards(hr_user, dt.date(2026, 7, 1))
    assert hr["context"]["open_rounds"] == 2  # "2026 春季测评" is not closed yet, and "next"


def test_non_office_cannot_edit_models(model, team):
    c = login(team["boss_user"])
    assert c.post(f"/competency/models/{model.pk}/retire/").status_code == 403
    assert c.get(f"/competency/models/{model.pk}/competencies/new/").status_code == 403
    assert c.get("/competency/rounds/").status_code == 403


def test_hr_edits_a_draft_competency_on_the_page(ladder, hr_user):
    model = make_model(ladder=ladder, publish=False)
    comp = model.competencies.get(code="C1")
    c = login(hr_user)
    data = {
        "code": "C1",
        "name": "驾驶",
        "name_en": "Driving",
        "category": "skill",
        "kind": "basic",
        "order": 0,
        "description": "",
        "description_en": "",
    }
    for n in range(1, 6):
        data[f"level_{n}"] = f"驾驶{n}"
        data[f"level_{n}_en"] = f"drive {n}"
    assert c.post(f"/competency/models/{model.pk}/competencies/{comp.pk}/", data).status_code == 302
    comp.refresh_from_db()
    assert comp.name == "驾驶" and comp.levels.get(level=5).description_en == "drive 5"
    assert c.post(f"/competency/models/{model.pk}/publish/").status_code == 302
    r = c.get(f"/competency/models/{model.pk}/competencies/{comp.pk}/", follow=True)
    assert r.redirect_chain[-1][0] == f"/competency/models/{model.pk}/"  # published: no editing


def test_the_profile_pdf_never_fetches_a_url_from_its_content(finalized, team, monkeypatch):
    """Every PDF goes through core.pdf's safe fetcher: an external URL that reached the HTML
    is refused, not fetched, and the PDF is still produced."""
    import urllib.request

    from competency import assessment_views
    from core import pdf

    fetched, refused = [], []
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: fetched.append(a))
    original = pdf.SafeURLFetcher._refuse

    def spy(self, url, why):
        refused.append(url)
        return original(self, url, why)

    monkeypatch.setattr(pdf.SafeURLFetcher, "_refuse", spy)
    real_render = assessment_views.render_to_string

    def with_external_urls(*args, **kwargs):
        html = real_render(*args, **kwargs)
        return html.replace(
            "</body>",
            '<img src="http://attacker.invalid/track.png">'
            '<link rel="stylesheet" href="https://attacker.invalid/x.css"></body>',
        )

    monkeypatch.setattr(assessment_views, "render_to_string", with_external_urls)
    r = login(team["boss_user"]).get(f"/competency/staff/{team['alice'].pk}/pdf/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert fetched == []
    assert sorted(refused) == [
        "http://attacker.invalid/track.png",
        "https://attacker.invalid/x.css",
    ]


def test_profile_shows_actuals_gaps_and_index_as_scores(finalized, team):
    """Issue #21: proficiency results, gaps and the index read as scores, 2 places, half-up.

    C3 (required 2): (2×50 + 1×20 + 1×10) / 80 = 1.625 → 1.63, gap 0.375 → 0.38;
    C2 (required 4): 3.75, gap 0.25; C1 (required 3): 3.875 → 3.88, no gap (0.00)."""
    body = login(team["alice_user"]).get(f"/competency/staff/{team['alice'].pk}/").content.decode()
    cells = '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
    assert f"<td>素质C1</td>{cells.format(3, '3.88', '0.00')}</tr>" in body
    assert f"<td>素质C2</td>{cells.format(4, '3.75', '0.25')}</tr>" in body
    assert f"<td>素质C3</td>{cells.format(2, '1.63', '0.38')}</tr>" in body
    assert '<td class="text-end">93.75</td></tr>' in body  # the history row's index
