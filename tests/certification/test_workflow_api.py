"""A full cycle driven over the API as the office, the applicants, the committee and the
leadership would, with exact scores and rankings."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.models import Application, Cycle
from core.roles import Role
from org.models import Appointment
from tests.certification.factories import applicant, committee_member
from tests.conftest import client_for
from tests.files import PDF_BYTES as PDF

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"


def _cycle_payload(ladder, **overrides):
    today = timezone.localdate()
    payload = {
        "name": "2026 年度大客户经理晋升认证",
        "track": ladder[0].track_id,
        "window_start": (today - dt.timedelta(days=5)).isoformat(),
        "window_end": (today + dt.timedelta(days=20)).isoformat(),
        "reference_date": "2026-12-31",
        "offers": [{"level": ladder[2].pk, "quota": 2, "pass_line": "60.00"}],
        "dimensions": [
            {"code": "kpi", "name": "工作业绩", "weight": "40", "source": "kpi", "max": "100"},
            {"code": "training", "name": "培训发展", "weight": "20", "source": "training"},
            {"code": "competency", "name": "素质评估", "weight": "20", "source": "competency"},
            {"code": "defence", "name": "答辩", "weight": "20", "source": "committee"},
        ],
    }
    payload.update(overrides)
    return payload


def _post(client, url, data=None, **kw):
    return client.post(f"{BASE}{url}", data or {}, format=kw.get("format", "json"))


def test_full_cycle(ladder, hr, leader, fake):
    hr_api = client_for(hr)
    # --- set-up ---------------------------------------------------------------------------
    bad = _cycle_payload(ladder)
    bad["dimensions"][0]["weight"] = "30"
    assert hr_api.post(f"{BASE}/cycles/", bad, format="json").status_code == 400
    res = hr_api.post(f"{BASE}/cycles/", _cycle_payload(ladder), format="json")
    assert res.status_code == 201, res.json()
    cycle_id = res.json()["id"]
    assert res.json()["status"] == "draft"
    assert [d["code"] for d in res.json()["dimensions"]] == [
        "kpi",
        "training",
        "competency",
        "defence",
    ]
    assert _post(hr_api, f"/cycles/{cycle_id}/open/").json()["status"] == "open"
    again = _post(hr_api, f"/cycles/{cycle_id}/open/")  # a double click: answered, not redone
    assert again.status_code == 200 and again.json()["status"] == "open"

    # --- applications ----------------------------------------------------------------------
    people = [applicant(ladder[1], username=f"cand{i}") for i in range(5)]
    (a, ua), (b, ub), (c, _uc), (d_, _ud), (e, ue) = people
    fake.grades = {
        s.pk: (D(score), "B") for (s, _), score in zip(people, [90, 88, 70, 80, 80], strict=False)
    }
    fake.credits = {s.pk: D(v) for (s, _), v in zip(people, [40, 36, 40, 40, 40], strict=False)}
    fake.indexes = {s.pk: D(v) for (s, _), v in zip(people, [80, 75, 70, 70, 70], strict=False)}
    fake.required = D("40")

    elig = client_for(ub).get(f"{BASE}/cycles/{cycle_id}/my-eligibility/").json()
    assert elig["eligible"] is False
    credits = next(r for r in elig["rules"] if r["code"] == "training_credits")
    assert credits == {
        "code": "training_credits",
        "label": "近12个月培训学分",
        "passed": False,
        "detail": "培训学分 36/40，差 4 分",
    }

    apps = {}
    for staff, user in people:
        api = client_for(user)
        res = _post(api, "/applications/", {"cycle": cycle_id, "statement": "述职报告"})
        assert res.status_code == 201, res.json()
        assert res.json()["target_level"] == ladder[2].pk
        apps[staff.pk] = res.json()["id"]
    assert _post(client_for(ua), "/applications/", {"cycle": cycle_id}).status_code == 409

    api_a = client_for(ua)
    app_a = apps[a.pk]
    upload = SimpleUploadedFile("业绩.pdf", PDF, content_type="application/pdf")
    res = api_a.post(
        f"{BASE}/applications/{app_a}/materials/",
        {"file": upload, "kind": "performance"},
        format="multipart",
    )
    assert res.status_code == 201, res.json()
    material_id = res.json()["id"]
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/pdf")
    assert (
        api_a.post(
            f"{BASE}/applications/{app_a}/materials/",
            {"file": exe, "kind": "other"},
            format="multipart",
        ).status_code
        == 400
    )
    fake_pdf = SimpleUploadedFile("fake.pdf", b"<html>", content_type="application/pdf")
    assert (
        api_a.post(
            f"{BASE}/applications/{app_a}/materials/",
            {"file": fake_pdf, "kind": "other"},
            format="multipart",
        ).status_code
        == 400
    )
    dl = api_a.get(f"{BASE}/applications/{app_a}/materials/{material_id}/download/")
    assert dl.status_code == 200
    assert b"".join(dl.streaming_content) == PDF
    from core.models import DownloadRecord

    assert DownloadRecord.objects.get().object_id == str(material_id)
    # another applicant can neither see the application nor download its file
    api_b = client_for(ub)
    assert api_b.get(f"{BASE}/applications/{app_a}/").status_code == 404
    assert (
        api_b.get(f"{BASE}/applications/{app_a}/materials/{material_id}/download/").status_code
        == 404
    )

    for staff, user in people:
        res = _post(client_for(user), f"/applications/{apps[staff.pk]}/submit/")
        assert res.json()["status"] == "submitted", res.json()
    assert (
        _post(
            api_b,
            f"/applications/{apps[b.pk]}/qualify/",
            {
                "eligibility": True,
                "materials_complete": True,
                "facts_truthful": True,
                "procedure_regular": True,
            },
        ).status_code
        == 403
    )

    # --- qualification ---------------------------------------------------------------------
    assert _post(hr_api, f"/cycles/{cycle_id}/start_qualification/").status_code == 200
    checklist = {
        "eligibility": True,
        "materials_complete": True,
        "facts_truthful": True,
        "procedure_regular": True,
    }
    incomplete = {**checklist, "facts_truthful": False}
    assert _post(hr_api, f"/applications/{apps[a.pk]}/qualify/", incomplete).status_code == 400
    for staff in (a, c, d_):
        res = _post(hr_api, f"/applications/{apps[staff.pk]}/qualify/", checklist)
        assert res.json()["status"] == "qualified"
    assert _post(hr_api, f"/applications/{apps[b.pk]}/return/", {}).status_code == 400
    res = _post(hr_api, f"/applications/{apps[b.pk]}/return/", {"reason": "补充案例材料"})
    assert res.json()["status"] == "returned"
    assert _post(hr_api, f"/cycles/{cycle_id}/start_review/").status_code == 409  # pending
    res = _post(api_b, f"/applications/{apps[b.pk]}/submit/")
    assert res.json()["status"] == "submitted"
    # b misses 4 training credits: qualifying is an override and needs a reason
    res = _post(hr_api, f"/applications/{apps[b.pk]}/qualify/", checklist)
    assert res.status_code == 400
    assert res.json()["code"] == "eligibility_reason_required"
    assert [r["code"] for r in res.json()["failed_rules"]] == ["training_credits"]
    res = _post(
        hr_api, f"/applications/{apps[b.pk]}/qualify/", {**checklist, "reason": "重点客户项目贡献"}
    )
    assert res.json()["status"] == "qualified"
    assert res.json()["override"]["reason"] == "重点客户项目贡献"
    res = _post(hr_api, f"/applications/{apps[e.pk]}/reject/", {"reason": "材料不实"})
    assert res.json()["status"] == "rejected"

    # --- committee -------------------------------------------------------------------------
    members = [committee_member(f"m{i}", level=ladder[4])[0] for i in range(5)]
    assert _post(hr_api, f"/cycles/{cycle_id}/start_review/").status_code == 409  # no panel
    res = _post(
        hr_api,
        "/panels/",
        {
            "cycle": cycle_id,
            "level": ladder[2].pk,
            "chair": members[0].pk,
            "members": [m.pk for m in members],
        },
    )
    assert res.status_code == 201, res.json()
    res = _post(hr_api, f"/cycles/{cycle_id}/start_review/")
    assert res.json()["status"] == "review", res.json()

    def score(member, staff, value, submit=True):
        api = client_for(member)
        res = _post(api, "/sheets/", {"application": apps[staff.pk], "scores": {"defence": value}})
        assert res.status_code == 201, res.json()
        if submit:
            res = _post(api, f"/sheets/{res.json()['id']}/submit/")
            assert res.json()["status"] == "submitted", res.json()
        return res.json()["id"]

    for member, value in zip(members, [70, 80, 85, 90, 99], strict=False):
        score(member, a, value)
    for member, value in zip(members[:4], [70, 80, 85, 90], strict=False):
        score(member, b, value)
    for member, value in zip(members[:3], [60, 65, 70], strict=False):
        score(member, c, value)
    for member, value in zip(members[:4], [50, 55, 60, 65], strict=False):
        score(member, d_, value)
    m4_sheet = score(members[4], c, 75, submit=False)
    # m4 has not submitted for c: sees only own sheet of c
    seen = client_for(members[4]).get(f"{BASE}/sheets/?application={apps[c.pk]}").json()
    assert [s["member"] for s in seen["results"]] == [members[4].pk]
    # a score out of range is refused
    assert (
        _post(
            client_for(members[4]),
            "/sheets/",
            {
                "application": apps[c.pk],
                "scores": {"defence": "100.01"},
            },
        ).status_code
        == 400
    )

    res = _post(hr_api, f"/cycles/{cycle_id}/publish/")
    assert res.status_code == 409
    detail = res.json()["detail"]
    assert "未达法定人数" in detail and "quorum_not_reached" not in detail

    live = hr_api.get(f"{BASE}/cycles/{cycle_id}/results/").json()["results"]
    by_app = {r["application"]: r for r in live}
    assert by_app[apps[a.pk]]["committee_score"] == "85.00"
    assert by_app[apps[a.pk]]["final_score"] == "89.00"
    assert by_app[apps[b.pk]]["committee_score"] == "81.25"
    assert by_app[apps[b.pk]]["final_score"] == "84.45"
    assert by_app[apps[c.pk]]["committee_score"] is None
    assert by_app[apps[c.pk]]["flags"] == ["quorum_not_reached"]
    assert by_app[apps[c.pk]]["quorum"] == 4
    assert by_app[apps[c.pk]]["sheets_submitted"] == 3

    res = _post(client_for(members[4]), f"/sheets/{m4_sheet}/submit/")
    assert res.status_code == 200
    seen = client_for(members[4]).get(f"{BASE}/sheets/?application={apps[c.pk]}").json()
    assert seen["count"] == 4
    # chair-only reopen, with a reason
    sheet_a_m1 = client_for(members[1]).get(f"{BASE}/sheets/?application={apps[a.pk]}").json()
    own = next(s for s in sheet_a_m1["results"] if s["member"] == members[1].pk)
    assert (
        _post(client_for(members[1]), f"/sheets/{own['id']}/reopen/", {"reason": "x"}).status_code
        == 403
    )
    assert _post(client_for(members[0]), f"/sheets/{own['id']}/reopen/", {}).status_code == 400
    res = _post(client_for(members[0]), f"/sheets/{own['id']}/reopen/", {"reason": "笔误"})
    assert res.json()["status"] == "draft"
    assert _post(client_for(members[1]), f"/sheets/{own['id']}/submit/").status_code == 200
    # submitted twice (a double click): the second answers the sheet as it is
    again = _post(client_for(members[1]), f"/sheets/{own['id']}/submit/")
    assert again.status_code == 200 and again.json()["status"] == "submitted"

    # --- publicity -------------------------------------------------------------------------
    res = _post(hr_api, f"/cycles/{cycle_id}/publish/")
    assert res.status_code == 200, res.json()
    assert res.json()["status"] == "publicity"
    results = hr_api.get(f"{BASE}/cycles/{cycle_id}/results/").json()["results"]
    table = [
        (
            r["staff"],
            r["committee_score"],
            r["final_score"],
            r["rank"],
            r["passed"],
            r["recommended"],
        )
        for r in results
    ]
    # c: 28 + 20 + 14 + 0.2 × 67.5 = 75.50; d: 32 + 20 + 14 + 0.2 × 57.5 = 77.50
    assert table == [
        (a.pk, "85.00", "89.00", 1, True, True),
        (b.pk, "81.25", "84.45", 2, True, True),
        (d_.pk, "57.50", "77.50", 3, True, False),
        (c.pk, "67.50", "75.50", 4, True, False),
    ]
    public = client_for(ue).get(f"{BASE}/cycles/{cycle_id}/results/").json()["results"]
    assert [r["staff"] for r in public] == [a.pk, b.pk]

    res = _post(client_for(ue), "/objections/", {"application": apps[b.pk], "reason": "案例造假"})
    assert res.status_code == 201, res.json()
    objection = res.json()["id"]
    assert _post(client_for(leader), f"/cycles/{cycle_id}/approve/").status_code == 409
    res = _post(
        hr_api,
        f"/objections/{objection}/resolve/",
        {"upheld": True, "reason": "经核实部分属实", "outcome": "review"},
    )
    assert res.json()["status"] == "upheld"
    assert hr_api.get(f"{BASE}/cycles/{cycle_id}/").json()["status"] == "review"
    assert _post(hr_api, f"/cycles/{cycle_id}/publish/").status_code == 200

    # --- approval --------------------------------------------------------------------------
    assert _post(hr_api, f"/cycles/{cycle_id}/approve/").status_code == 403
    res = _post(client_for(leader), f"/cycles/{cycle_id}/approve/")
    assert res.status_code == 409  # the publicity period is still running
    Cycle.objects.filter(pk=cycle_id).update(publicity_end=timezone.localdate() - dt.timedelta(1))
    res = _post(client_for(leader), f"/cycles/{cycle_id}/approve/", {"reason": "领导小组审批"})
    assert res.status_code == 200, res.json()
    assert res.json()["status"] == "approval"
    for staff, expected in ((a, "L3"), (b, "L3"), (c, "L2"), (d_, "L2")):
        staff.refresh_from_db()
        assert staff.level.code == expected
    promoted = Appointment.objects.get(staff=a, closed_on__isnull=True)
    assert promoted.reason == "promotion"
    assert promoted.decision.startswith("2026 年度大客户经理晋升认证")
    assert Application.objects.get(pk=apps[c.pk]).status == "not_promoted"
    assert Application.objects.get(pk=apps[a.pk]).appointment == promoted
    assert _post(hr_api, f"/cycles/{cycle_id}/close/").json()["status"] == "closed"
    assert _post(hr_api, f"/cycles/{cycle_id}/close/").json()["status"] == "closed"  # no-op


def test_role_that_may_not_act_gets_403(ladder, hr):
    _staff, user = applicant(ladder[1])
    api = client_for(user)
    assert api.post(f"{BASE}/cycles/", _cycle_payload(ladder), format="json").status_code == 403
    committee = committee_member("cm", level=ladder[4])[0]
    assert Role.COMMITTEE in committee.groups.values_list("name", flat=True)
