"""Training packages (培训礼包): granted with a promotion to L3+, idempotent, choice, usage."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import DomainError, InvalidTransition, RoleRequired
from core.roles import Role
from org import services as org_services
from tests.factories import UserFactory
from training import services
from training.models import TrainingPackage

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def hr(db):
    return UserFactory(username="hr-pkg", roles=[Role.HR])


@pytest.fixture
def promotion(world):
    l3 = world.level("L3")
    l3.training_package_value = D("6000.00")
    l3.save()
    return org_services.appoint(
        actor=None, staff=world.alice, level=l3, start=dt.date(2026, 7, 1), reason="promotion"
    )


def test_promotion_to_l3_grants_the_levels_value_once(world, promotion):
    package = services.package_grant(appointment=promotion)
    assert (package.staff_id, package.value, package.granted_on, package.valid_until) == (
        world.alice.pk,
        D("6000.00"),
        dt.date(2026, 7, 1),
        dt.date(2029, 7, 1),
    )
    assert package.status == "granted"
    again = services.package_grant(appointment=promotion)
    assert again.pk == package.pk
    assert TrainingPackage.objects.count() == 1


def test_promotion_below_l3_or_other_reasons_grant_nothing(world):
    l2 = world.level("L2")
    l2.training_package_value = D("1000")
    l2.save()
    to_l2 = org_services.appoint(
        actor=None, staff=world.dave, level=l2, start=dt.date(2026, 7, 1), reason="promotion"
    )
    assert services.package_grant(appointment=to_l2) is None
    l4 = world.level("L4")
    l4.training_package_value = D("10000")
    l4.save()
    kept = org_services.appoint(
        actor=None, staff=world.mgr, level=l4, start=dt.date(2026, 7, 1), reason="kept"
    )
    assert services.package_grant(appointment=kept) is None
    assert TrainingPackage.objects.count() == 0


def test_choose_then_use_up_to_the_value(world, promotion, hr):
    package = services.package_grant(appointment=promotion)
    with pytest.raises(InvalidTransition):  # no programme chosen yet
        services.package_use(
            actor=hr, package=package, amount=D("1"), date=dt.date(2026, 8, 1), description="x"
        )
    with pytest.raises(RoleRequired):
        services.package_choose(actor=world.bob.user, package=package, programme="EMBA")
    services.package_choose(actor=world.alice.user, package=package, programme="中山大学 EMBA 模块")
    services.package_use(
        actor=hr, package=package, amount=D("2500.00"), date=dt.date(2026, 8, 1), description="学费"
    )
    with pytest.raises(DomainError) as err:
        services.package_use(
            actor=hr,
            package=package,
            amount=D("3500.01"),
            date=dt.date(2026, 9, 1),
            description="y",
        )
    assert err.value.code == "exceeds_balance"
    with pytest.raises(InvalidTransition):  # in use: the programme is fixed
        services.package_choose(actor=world.alice.user, package=package, programme="别的")
    services.package_use(
        actor=hr, package=package, amount=D("3500.00"), date=dt.date(2026, 9, 1), description="教材"
    )
    package.refresh_from_db()
    assert package.status == "used"
    assert services.package_used(package) == D("6000.00")


def test_packages_api_is_scoped_and_shows_the_balance(world, promotion, hr, alice_api, hr_api):
    package = services.package_grant(appointment=promotion)
    url = "/api/v1/training/packages/"
    assert [p["id"] for p in alice_api.get(url).json()["results"]] == [package.pk]
    from tests.conftest import client_for

    assert client_for(world.bob.user).get(f"{url}{package.pk}/").status_code == 404
    assert (
        alice_api.post(f"{url}{package.pk}/choose/", {"programme": "PMP 认证"}).status_code == 200
    )
    assert (
        alice_api.post(
            f"{url}{package.pk}/use/", {"amount": "100", "date": "2026-08-01", "description": "x"}
        ).status_code
        == 403
    )
    used = hr_api.post(
        f"{url}{package.pk}/use/",
        {"amount": "1250.50", "date": "2026-08-01", "description": "培训费"},
    )
    assert used.status_code == 201
    body = alice_api.get(f"{url}{package.pk}/").json()
    assert (body["value"], body["used"], body["remaining"], body["status"]) == (
        "6000.00",
        "1250.50",
        "4749.50",
        "chosen",
    )


def test_certification_approval_grants_the_package_through_the_training_service(promotion):
    from certification.services.cycles import approval_packages_grant

    approval_packages_grant(actor=None, appointment_ids=[promotion.pk])
    assert TrainingPackage.objects.get().appointment_id == promotion.pk
