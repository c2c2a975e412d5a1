"""The re-certification panel as in the certification engine (DOMAIN.md, "Committee review"):
a chair among the members, who alone reopens a submitted sheet, with a reason; a wide spread of
the totals (std dev above the run's threshold) flags the case for discussion."""

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from core.errors import DomainError, InvalidTransition, RoleRequired
from core.models import AuditEvent
from ranking import services
from ranking.models import RecertificationSheet
from tests.conftest import client_for
from tests.factories import make_user_for
from tests.ranking.factories import band_case, committee_members, parts_for

CASES = "/api/v1/certification/recertifications/"


def scored(hr_user, case, totals, *, chair_index=None, prefix="cm"):
    """A panel of at least the minimum 3 members; the first ``len(totals)`` submit."""
    members = committee_members(max(3, len(totals)), prefix=prefix)
    chair = members[chair_index] if chair_index is not None else None
    services.recertification_panel_assign(actor=hr_user, case=case, members=members, chair=chair)
    case.refresh_from_db()
    sheets = [
        services.recertification_sheet_score(actor=m, case=case, scores=parts_for(case, t))
        for m, t in zip(members, totals, strict=False)
    ]
    case.refresh_from_db()
    return members, sheets


def test_the_chair_is_a_member_by_default_the_first(scores, ladder, hr_user):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    members = committee_members(3)
    services.recertification_panel_assign(actor=hr_user, case=case, members=members)
    case.refresh_from_db()
    assert case.chair_id == members[0].pk
    more = committee_members(1, prefix="more")
    services.recertification_panel_assign(
        actor=hr_user, case=case, members=members[1:] + more
    )  # the chair left
    case.refresh_from_db()
    assert case.chair_id == members[1].pk
    services.recertification_panel_assign(
        actor=hr_user, case=case, members=members, chair=members[2]
    )
    case.refresh_from_db()
    assert case.chair_id == members[2].pk
    (outsider,) = committee_members(1, prefix="out")
    with pytest.raises(DomainError) as err:
        services.recertification_panel_assign(
            actor=hr_user, case=case, members=members, chair=outsider
        )
    assert err.value.code == "chair_not_member"
    case.refresh_from_db()
    assert case.chair_id == members[2].pk  # nothing changed


def test_only_the_chair_reopens_a_submitted_sheet_with_a_reason(scores, ladder, hr_user):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    members, sheets = scored(hr_user, case, [58, 62, 90], chair_index=1)
    assert services.committee_score(case)[0] == D("70.00")  # (58 + 62 + 90) / 3
    for actor in (members[0], members[2], hr_user):
        with pytest.raises(RoleRequired):
            services.recertification_sheet_reopen(actor=actor, sheet=sheets[2], reason="typo")
    with pytest.raises(DomainError) as err:
        services.recertification_sheet_reopen(actor=members[1], sheet=sheets[2], reason="  ")
    assert err.value.code == "reason_required"

    sheet = services.recertification_sheet_reopen(
        actor=members[1], sheet=sheets[2], reason="90 was a typo for 60"
    )
    assert sheet.status == RecertificationSheet.Status.DRAFT and sheet.submitted_at is None
    event = AuditEvent.objects.get(action="reopen", object_id=str(sheet.pk))
    assert (event.from_state, event.to_state, event.reason) == (
        "submitted",
        "draft",
        "90 was a typo for 60",
    )
    assert services.committee_score(case)[0] == D("60.00")  # quorum 2 of 3: (58 + 62) / 2
    with pytest.raises(InvalidTransition):  # a draft is not reopened
        services.recertification_sheet_reopen(actor=members[1], sheet=sheet, reason="again")
    services.recertification_sheet_score(actor=members[2], case=case, scores=parts_for(case, 60))
    assert services.committee_score(case)[0] == D("60.00")  # (58 + 62 + 60) / 3


def test_no_reopening_once_the_case_is_decided(scores, ladder, hr_user):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    members, sheets = scored(hr_user, case, [70, 72, 74])
    services.recertification_case_propose(actor=hr_user, case=case, reason="panel")
    with pytest.raises(InvalidTransition):
        services.recertification_sheet_reopen(actor=members[0], sheet=sheets[1], reason="late")


@pytest.mark.parametrize(
    ("totals", "threshold", "spread", "flagged"),
    [
        # mean 70; deviations −20, 0, +20 → population variance 800 / 3 → std dev 16.33
        ([50, 70, 90], "10", D("16.33"), True),
        ([50, 70, 90], "16.33", D("16.33"), False),  # 16.3299… is not above 16.33
        ([50, 70, 90], "16.32", D("16.33"), True),
        ([60, 70], "5", D("5.00"), False),  # exactly the threshold is not above it
        ([60, 70], "4.99", D("5.00"), True),
        ([65], "0", None, False),  # one sheet: no spread
    ],
)
def test_a_wide_spread_flags_the_case(scores, ladder, hr_user, totals, threshold, spread, flagged):
    run, case, _staff = band_case(scores, ladder, hr_user)
    type(run).objects.filter(pk=run.pk).update(spread_threshold=D(threshold))
    case.run.refresh_from_db()
    scored(hr_user, case, totals)
    assert services.spread(case) == (spread, flagged)


def test_the_api_reopens_and_shows_chair_and_spread_to_those_who_see_the_sheets(
    scores, ladder, hr_user, django_assert_max_num_queries
):
    _run, case, staff = band_case(scores, ladder, hr_user)
    members = committee_members(3)
    hr = client_for(hr_user)
    response = hr.post(
        f"{CASES}{case.pk}/assign/", {"members": [m.pk for m in members], "chair": members[2].pk}
    )
    assert response.status_code == 200 and response.json()["chair"] == members[2].pk
    case.refresh_from_db()
    for member, total in zip(members, ["50", "70", "90"], strict=True):
        client_for(member).post(
            f"{CASES}{case.pk}/score/", {"scores": parts_for(case, total)}, format="json"
        )
    body = hr.get(f"{CASES}{case.pk}/").json()
    assert (body["spread"], body["spread_flag"]) == ("16.33", True)
    own = client_for(make_user_for(staff)).get(f"{CASES}{case.pk}/").json()
    assert own["spread"] is None and own["spread_flag"] is None  # not for the staff member
    chair = client_for(members[2])
    assert chair.post(f"{CASES}{case.pk}/reopen/", {"member": members[0].pk}).status_code == 400
    denied = client_for(members[0]).post(
        f"{CASES}{case.pk}/reopen/", {"member": members[1].pk, "reason": "x"}
    )
    assert denied.status_code == 403
    done = chair.post(f"{CASES}{case.pk}/reopen/", {"member": members[0].pk, "reason": "typo"})
    assert done.status_code == 200 and done.json()["status"] == "draft"
    with django_assert_max_num_queries(10):
        listing = hr.get(CASES).json()
    assert listing["results"][0]["spread"] == "10.00"  # 70 and 90 left: std dev 10


def test_the_case_page_names_the_chair_flags_the_spread_and_lets_the_chair_reopen(
    scores, ladder, hr_user
):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    members, _sheets = scored(hr_user, case, [50, 70, 90], chair_index=0)
    page = Client()
    page.force_login(members[0])
    url = reverse("ranking:case-detail", args=[case.pk])
    html = page.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="case-spread"' in html and "16.33" in html and "discuss" in html
    assert html.count('name="action" value="reopen"') == 3
    response = page.post(
        url, {"action": "reopen", "member": members[2].pk, "reason": "typo"}, follow=True
    )
    assert response.status_code == 200
    assert RecertificationSheet.objects.get(case=case, member=members[2]).status == "draft"
    other = Client()
    other.force_login(members[1])
    assert 'value="reopen"' not in other.get(url).content.decode()  # not the chair
