"""The assessment cycle through ``/api/v1/kpi/…``: the five stages and their refusals, the lock
as the end of the assessment stage, the appraisal (targets acknowledged, self-assessment,
review, answer), scope (404 outside), notifications, the to-do inbox, exports, query counts."""

import datetime as dt
import io

import pytest
from django.conf import settings
from openpyxl import load_workbook

from core.models import AuditEvent
from kpi import rules, score_recompute
from kpi.models import Appraisal, Period, PeriodStage
from notifications.models import Notification
from tests.conftest import client_for
from tests.factories import StaffFactory, make_user_for

from .factories import make_period, put_actual

API = "/api/v1/kpi"
D = dt.date


# --- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "2026-11",
            {
                "preparation": (D(2026, 11, 1), D(2026, 11, 3)),
                "mobilisation": (D(2026, 11, 4), D(2026, 11, 5)),
                "assessment": (D(2026, 11, 6), D(2026, 12, 5)),
                "analysis": (D(2026, 12, 6), D(2026, 12, 8)),
                "feedback": (D(2026, 12, 9), D(2026, 12, 13)),
            },
        ),
        (
            "2026-Q4",
            {
                "preparation": (D(2026, 10, 1), D(2026, 10, 7)),
                "mobilisation": (D(2026, 10, 8), D(2026, 10, 10)),
                "assessment": (D(2026, 10, 11), D(2027, 1, 10)),
                "analysis": (D(2027, 1, 11), D(2027, 1, 15)),
                "feedback": (D(2027, 1, 16), D(2027, 1, 25)),
            },
        ),
        (
            "2026",
            {
                "preparation": (D(2026, 1, 1), D(2026, 1, 14)),
                "mobilisation": (D(2026, 1, 15), D(2026, 1, 21)),
                "assessment": (D(2026, 1, 22), D(2027, 1, 15)),
                "analysis": (D(2027, 1, 16), D(2027, 1, 25)),
                "feedback": (D(2027, 1, 26), D(2027, 2, 14)),
            },
        ),
    ],
)
def test_planned_dates_per_period_type(code, expected):
    from kpi.models import parse_period_code

    ptype, start, end = parse_period_code(code)
    assert rules.planned_dates(ptype, start, end) == expected


@pytest.mark.parametrize(
    ("current", "to", "published", "refusal"),
    [
        ("preparation", "mobilisation", False, "targets_unpublished"),
        ("preparation", "mobilisation", True, None),
        ("preparation", "assessment", True, "skips"),
        ("mobilisation", "assessment", False, None),
        ("assessment", "analysis", True, None),
        ("analysis", "assessment", True, "backwards"),
        ("analysis", "analysis", True, "backwards"),
        ("analysis", "feedback", True, None),
        ("feedback", "closed", True, None),
        ("closed", "feedback", True, "closed"),
        ("feedback", "nowhere", True, "unknown"),
    ],
)
def test_refusals(current, to, published, refusal):
    assert rules.refusal(current=current, to=to, targets_published=published) == refusal


def test_stage_states():
    assert [rules.stage_state(s, "assessment") for s in rules.STAGES] == [
        "done",
        "done",
        "active",
        "pending",
        "pending",
    ]
    assert {rules.stage_state(s, "closed") for s in rules.STAGES} == {"done"}


# --- the stage machine ----------------------------------------------------------------------


def _advance(api, period_id, to, reason=""):
    return api.post(f"{API}/periods/{period_id}/advance/", {"to": to, "reason": reason})


def test_stage_machine_through_the_api(world, hr_api):
    hr_api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the refusal's wording is asserted
    body = hr_api.post(f"{API}/periods/", {"code": "2026-11"}).json()
    pk = body["id"]
    assert (body["stage"], body["status"], body["targets_published_at"]) == (
        "preparation",
        "open",
        None,
    )
    assert [(s["stage"], s["starts"], s["ends"], s["state"]) for s in body["stages"]] == [
        ("preparation", "2026-11-01", "2026-11-03", "active"),
        ("mobilisation", "2026-11-04", "2026-11-05", "pending"),
        ("assessment", "2026-11-06", "2026-12-05", "pending"),
        ("analysis", "2026-12-06", "2026-12-08", "pending"),
        ("feedback", "2026-12-09", "2026-12-13", "pending"),
    ]
    # Preparation cannot end before the targets are published; no stage is skipped.
    refused = _advance(hr_api, pk, "mobilisation")
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"
    assert refused.json()["reason"] == "targets_unpublished"
    skip = _advance(hr_api, pk, "assessment").json()
    assert (skip["reason"], skip["next"]) == ("skips", "mobilisation")
    assert "the next stage is mobilisation" in skip["detail"]

    published = hr_api.post(f"{API}/periods/{pk}/publish-targets/")
    assert published.status_code == 200
    assert published.json()["targets_published_at"] is not None
    # alice and carol (L2 with a login) take part; bob has no login, the manager no scheme.
    assert set(
        Appraisal.objects.filter(period_id=pk).values_list("staff__employee_no", flat=True)
    ) == {
        "A001",
        "C001",
    }
    assert hr_api.post(f"{API}/periods/{pk}/publish-targets/").status_code == 409

    assert _advance(hr_api, pk, "mobilisation", "kick-off meeting held").status_code == 200
    assert _advance(hr_api, pk, "preparation").json()["reason"] == "backwards"
    assert _advance(hr_api, pk, "assessment").status_code == 200
    body = _advance(hr_api, pk, "analysis", "actuals complete").json()
    assert (body["stage"], body["status"]) == ("analysis", "locked")
    assert body["locked_at"] is not None
    assert [s["state"] for s in body["stages"]] == ["done", "done", "done", "active", "pending"]
    assert _advance(hr_api, pk, "feedback").status_code == 200
    body = _advance(hr_api, pk, "closed").json()
    assert body["stage"] == "closed"
    assert all(s["state"] == "done" and s["ended_at"] for s in body["stages"])
    assert _advance(hr_api, pk, "feedback").json()["reason"] == "closed"

    moves = list(
        AuditEvent.objects.filter(action="kpi.period.stage", object_id=str(pk))
        .order_by("id")
        .values_list("from_state", "to_state", "reason")
    )
    assert moves == [
        ("preparation", "mobilisation", "kick-off meeting held"),
        ("mobilisation", "assessment", ""),
        ("assessment", "analysis", "actuals complete"),
        ("analysis", "feedback", ""),
        ("feedback", "closed", ""),
    ]
    assert AuditEvent.objects.filter(action="kpi.period.lock", object_id=str(pk)).count() == 1


def test_only_hr_moves_stages(world):
    period = make_period("2026-11")
    for user in (world.manager_user, world.alice_user):
        assert _advance(client_for(user), period.pk, "mobilisation").status_code == 403
    assert Period.objects.get(pk=period.pk).stage == "preparation"


def test_lock_ends_the_assessment_stage(world, hr_api):
    period = make_period("2026-11")
    body = hr_api.post(f"{API}/periods/{period.pk}/lock/", {"reason": "month closed"}).json()
    assert (body["status"], body["stage"]) == ("locked", "analysis")
    assert [s["state"] for s in body["stages"]] == ["done", "done", "done", "active", "pending"]
    assert PeriodStage.objects.filter(period=period, ended_at__isnull=False).count() == 3
    assert hr_api.post(f"{API}/periods/{period.pk}/lock/").status_code == 409


def test_schedule_changes_planned_dates(world, hr_api):
    period = make_period("2026-11")
    ok = hr_api.post(
        f"{API}/periods/{period.pk}/schedule/",
        {"stage": "feedback", "starts": "2026-12-10", "ends": "2026-12-20"},
    )
    assert ok.status_code == 200
    assert ok.json()["stages"][-1]["starts"] == "2026-12-10"
    bad = hr_api.post(
        f"{API}/periods/{period.pk}/schedule/",
        {"stage": "feedback", "starts": "2026-12-20", "ends": "2026-12-10"},
    )
    assert bad.status_code == 400


# --- the appraisal --------------------------------------------------------------------------


def _to(hr_api, period, *stages):
    for stage in stages:
        assert _advance(hr_api, period.pk, stage).status_code == 200, stage


def _events(user, event):
    return Notification.objects.filter(recipient=user, event=event).count()


def test_appraisal_journey_and_scope(world, hr_api, hr_user):
    alice, manager, carol = (
        client_for(world.alice_user),
        client_for(world.manager_user),
        client_for(world.carol_user),
    )
    period = make_period("2026-11")
    ack = alice.post(f"{API}/appraisals/acknowledge-targets/", {"period": "2026-11"})
    assert ack.status_code == 409
    assert ack.json()["reason"] == "targets_unpublished"

    hr_api.post(f"{API}/periods/{period.pk}/publish-targets/")
    assert _events(world.alice_user, "kpi.targets_published") == 1
    body = alice.post(f"{API}/appraisals/acknowledge-targets/", {"period": "2026-11"}).json()
    assert (body["employee_no"], body["status"]) == ("A001", "targets_acknowledged")
    again = alice.post(f"{API}/appraisals/acknowledge-targets/", {"period": "2026-11"})
    assert again.status_code == 409

    early = alice.post(
        f"{API}/appraisals/self-assessment/", {"period": "2026-11", "quantitative": "x"}
    )
    assert early.json()["reason"] == "wrong_stage"
    _to(hr_api, period, "mobilisation", "assessment")
    assert _events(world.alice_user, "kpi.mobilised") == 1
    assert _events(world.carol_user, "kpi.self_appraisal_due") == 1
    body = alice.post(
        f"{API}/appraisals/self-assessment/",
        {"period": "2026-11", "quantitative": "Revenue 92% of target", "qualitative": "Helped B"},
    ).json()
    assert (body["status"], body["self_quantitative"]) == ("self_assessed", "Revenue 92% of target")

    review = {
        "period": "2026-11",
        "staff": world.alice.pk,
        "review_date": "2026-11-30",
        "summary": "Strong quarter-end; follow-up calls lag.",
        "coaching_actions": "Weekly pipeline check",
        "development_goals": "Negotiation course",
    }
    assert manager.post(f"{API}/appraisals/review/", review).json()["reason"] == ("wrong_stage")
    _to(hr_api, period, "analysis", "feedback")
    assert (
        manager.post(
            f"{API}/appraisals/review/", {**review, "review_date": "2026-12-01"}
        ).status_code
        == 400
    )
    # Out of the manager's scope (DEP2): 404, as for an id that does not exist.
    assert (
        manager.post(f"{API}/appraisals/review/", {**review, "staff": world.carol.pk}).status_code
        == 404
    )
    assert manager.post(f"{API}/appraisals/review/", {**review, "staff": 999999}).status_code == 404
    # The employee cannot review anyone, themselves included.
    assert alice.post(f"{API}/appraisals/review/", review).status_code == 403
    body = manager.post(f"{API}/appraisals/review/", review).json()
    assert (body["status"], body["review_date"]) == ("reviewed", "2026-11-30")
    assert _events(world.alice_user, "kpi.review_recorded") == 1

    bare = alice.post(f"{API}/appraisals/respond/", {"period": "2026-11", "response": "disagreed"})
    assert bare.status_code == 400
    body = alice.post(
        f"{API}/appraisals/respond/",
        {"period": "2026-11", "response": "disagreed", "comment": "The March outage was not mine"},
    ).json()
    assert (body["status"], body["response_comment"]) == (
        "disagreed",
        "The March outage was not mine",
    )
    assert (
        alice.post(
            f"{API}/appraisals/respond/", {"period": "2026-11", "response": "agreed"}
        ).status_code
        == 409
    )
    assert manager.post(f"{API}/appraisals/review/", review).status_code == 409

    mine = Appraisal.objects.get(staff=world.alice, period=period)
    theirs = Appraisal.objects.get(staff=world.carol, period=period)
    assert [a["employee_no"] for a in alice.get(f"{API}/appraisals/").json()["results"]] == ["A001"]
    assert carol.get(f"{API}/appraisals/{mine.pk}/").status_code == 404
    assert alice.get(f"{API}/appraisals/{theirs.pk}/").status_code == 404
    assert manager.get(f"{API}/appraisals/{theirs.pk}/").status_code == 404
    assert [a["employee_no"] for a in manager.get(f"{API}/appraisals/").json()["results"]] == [
        "A001"
    ]
    seen = hr_api.get(f"{API}/appraisals/?period_code=2026-11").json()["results"]
    assert [(a["employee_no"], a["status"]) for a in seen] == [
        ("A001", "disagreed"),
        ("C001", "not_started"),
    ]
    actions = set(
        AuditEvent.objects.filter(
            object_id=str(mine.pk), action__startswith="kpi.appraisal."
        ).values_list("action", flat=True)
    )
    assert actions == {
        "kpi.appraisal.acknowledge_targets",
        "kpi.appraisal.self",
        "kpi.appraisal.review",
        "kpi.appraisal.respond",
    }


def test_inbox_follows_the_appraisal(world, hr_api):
    alice, manager = client_for(world.alice_user), client_for(world.manager_user)
    period = make_period("2026-11")

    def kinds(api):
        return {i["kind"] for i in api.get("/api/v1/inbox/").json()}

    assert "kpi.acknowledge_targets" not in kinds(alice)
    hr_api.post(f"{API}/periods/{period.pk}/publish-targets/")
    assert "kpi.acknowledge_targets" in kinds(alice)
    alice.post(f"{API}/appraisals/acknowledge-targets/", {"period": "2026-11"})
    assert "kpi.acknowledge_targets" not in kinds(alice)
    _to(hr_api, period, "mobilisation", "assessment")
    assert "kpi.self_appraisal" in kinds(alice)
    alice.post(f"{API}/appraisals/self-assessment/", {"period": "2026-11", "qualitative": "ok"})
    assert "kpi.self_appraisal" not in kinds(alice)
    _to(hr_api, period, "analysis", "feedback")
    assert "kpi.review" in kinds(manager)
    manager.post(
        f"{API}/appraisals/review/",
        {"period": "2026-11", "staff": world.alice.pk, "review_date": "2026-11-30", "summary": "s"},
    )
    assert "kpi.review" not in kinds(manager)
    assert "kpi.answer_review" in kinds(alice)
    alice.post(f"{API}/appraisals/respond/", {"period": "2026-11", "response": "agreed"})
    assert "kpi.answer_review" not in kinds(alice)


# --- exports and query counts ---------------------------------------------------------------


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_exports_filter_by_unit_and_period(world, hr_api):
    hr_api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for staff, rev in ((world.alice, "90"), (world.bob, "80"), (world.carol, "70")):
        put_actual(staff, world.rev, world.mar, rev)
        put_actual(staff, world.rev, world.apr, rev)
    score_recompute.recompute([world.mar.pk, world.apr.pk])
    rows = _rows(hr_api.get(f"{API}/scores/export/?period_code=2026-03&in_unit={world.dep1.pk}"))
    assert rows[0][:6] == ["employee number", "Name", "org unit", "level", "period", "total"]
    assert [(r[0], r[4]) for r in rows[1:]] == [("A001", "2026-03"), ("B001", "2026-03")]
    # Only REV has an actual, so the total is its item score: 100 × 90 / 100 = 90 (and 80);
    # the annual score is the mean of March and April (90, 90) → 90, grade A (A from 90).
    assert [r[5] for r in rows[1:]] == [90, 80]
    assert [(r[6], r[7]) for r in rows[1:]] == [(90, "A"), (80, "B")]
    rows = _rows(hr_api.get(f"{API}/annual-scores/export/?year=2026&in_unit={world.dep2.pk}"))
    assert [(r[0], r[1], r[5], r[7]) for r in rows[1:]] == [(2026, "C001", 70, "C")]
    # A manager's export is their scope: DEP2 is not theirs (400 on the filter, nothing leaks).
    manager = client_for(world.manager_user)
    assert manager.get(f"{API}/scores/export/?in_unit={world.dep2.pk}").status_code == 400
    assert {r[0] for r in _rows(manager.get(f"{API}/scores/export/"))[1:]} == {"A001", "B001"}


def _team(world, n, period):
    for _ in range(n):
        staff = StaffFactory(unit=world.dep1, level=world.l2, manager=world.manager)
        make_user_for(staff)
    Appraisal.objects.bulk_create(
        [Appraisal(staff=s, period=period) for s in world.alice.__class__.objects.all()],
        ignore_conflicts=True,
    )


@pytest.mark.parametrize("n", [2, 25])
def test_lists_and_pages_run_constant_queries(
    world, hr_api, hr_user, n, django_assert_max_num_queries
):
    from django.test import Client

    period = make_period("2026-11")
    _team(world, n, period)
    with django_assert_max_num_queries(8):
        assert hr_api.get(f"{API}/appraisals/?page_size=200").status_code == 200
    with django_assert_max_num_queries(8):
        assert hr_api.get(f"{API}/periods/?page_size=200").status_code == 200
    page = Client()
    page.force_login(world.manager_user)
    with django_assert_max_num_queries(25):
        assert page.get(f"/kpi/appraisal/team/?period={period.code}").status_code == 200
    page.force_login(hr_user)
    with django_assert_max_num_queries(25):
        assert page.get(f"/kpi/stages/?period={period.code}").status_code == 200
    with django_assert_max_num_queries(25):
        assert client_for(world.manager_user).get("/api/v1/inbox/").status_code == 200


# --- pages ----------------------------------------------------------------------------------


def test_pages_of_the_cycle(world, hr_user):
    from django.test import Client

    period = make_period("2026-11")
    hr = Client()
    hr.force_login(hr_user)
    hr.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = hr.get("/kpi/stages/?period=2026-11")
    assert b"Publish the targets" in page.content
    hr.post("/kpi/stages/?period=2026-11", {"action": "publish", "period": "2026-11"})
    hr.post("/kpi/stages/", {"to": "mobilisation", "period": "2026-11", "reason": "kick-off"})
    refused = hr.post(
        "/kpi/stages/", {"to": "analysis", "period": "2026-11"}, follow=True
    ).content.decode()
    assert "the next stage is assessment" in refused
    assert Period.objects.get(pk=period.pk).stage == "mobilisation"

    alice = Client()
    alice.force_login(world.alice_user)
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert b"Acknowledge my targets" in alice.get("/kpi/appraisal/?period=2026-11").content
    alice.post("/kpi/appraisal/", {"action": "acknowledge", "period": "2026-11"})
    assert b"You acknowledged these targets" in alice.get("/kpi/appraisal/?period=2026-11").content
    # A staff member has no team page; a manager's review form 404s outside the team.
    assert alice.get("/kpi/appraisal/team/").status_code == 403
    manager = Client()
    manager.force_login(world.manager_user)
    assert manager.get(f"/kpi/appraisal/team/{world.carol.pk}/?period=2026-11").status_code == 404
    assert manager.get(f"/kpi/appraisal/team/{world.alice.pk}/?period=2026-11").status_code == 200
    assert alice.get("/kpi/stages/").status_code == 403


def test_score_exports_write_names_as_text_and_are_recorded(world, hr_api, hr_user):
    from core.models import DownloadRecord

    world.alice.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    world.alice.save(update_fields=["name"])
    put_actual(world.alice, world.rev, world.mar, "90")
    score_recompute.recompute([world.mar.pk])
    for url, name_column in (
        (f"{API}/scores/export/?period_code=2026-03", 1),
        (f"{API}/annual-scores/export/?year=2026", 2),
    ):
        response = hr_api.get(url)
        sheet = load_workbook(io.BytesIO(response.content)).active
        (cell,) = [
            row[name_column]
            for row in sheet.iter_rows(min_row=2)
            if "A001" in [c.value for c in row]
        ]
        assert (cell.value, cell.data_type) == ("'@SUM(1+1)*cmd|' /C calc'!A0", "s"), url
    records = DownloadRecord.objects.order_by("id").values_list("kind", "user_name", "object_repr")
    assert [(kind, user, name.rsplit("-", 3)[0]) for kind, user, name in records] == [
        ("export", hr_user.username, "kpi-scores"),
        ("export", hr_user.username, "kpi-annual-scores"),
    ]
