"""factory_boy factories shared by every app's tests.

Staff come with an open appointment when created with ``level=``, made through
``org.services.appoint`` so the invariant "level = open appointment" holds in tests too.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import Role
from org import services
from org.models import Level, OrgUnit, Staff, Track


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("code",)

    code = "KAM"
    name = "大客户经理"
    name_en = "Key Account Manager"


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        django_get_or_create = ("track", "code")

    track = factory.SubFactory(TrackFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"L{o.order}")
    name = factory.LazyAttribute(lambda o: f"级别{o.order}")
    term_years = 3
    allowance = Decimal("1000.00")
    training_package_value = Decimal("0.00")


def make_ladder(track=None) -> list[Level]:
    """The five-level KAM ladder (L1..L5) of the seed."""
    track = track or TrackFactory()
    names = ["助理客户经理", "客户经理", "高级客户经理", "资深客户经理", "首席客户经理"]
    return [
        LevelFactory(track=track, order=i, code=f"L{i}", name=name, term_years=2 if i == 1 else 3)
        for i, name in enumerate(names, start=1)
    ]


def make_unit(code: str, parent: OrgUnit | None = None, name: str | None = None) -> OrgUnit:
    return services.unit_create(actor=None, code=code, name=name or code, parent=parent)


class StaffFactory(factory.django.DjangoModelFactory):
    """``StaffFactory(level=L2, level_since=date)`` also opens the appointment."""

    class Meta:
        model = Staff
        exclude = ("level_since_",)

    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    unit = factory.LazyFunction(
        lambda: OrgUnit.objects.filter(code="ROOT").first() or make_unit("ROOT")
    )
    track = factory.LazyFunction(TrackFactory)
    hire_date = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, level=None, level_since=None, **kwargs):
        if level is not None:
            kwargs["track"] = level.track
        staff = services.staff_create(actor=None, level=level, level_since=level_since, **kwargs)
        return staff


def make_user_for(staff: Staff, *roles: str, username: str | None = None):
    """A login linked to ``staff`` with the given roles (staff role always included)."""
    user = UserFactory(username=username or f"u-{staff.employee_no}", roles=[Role.STAFF, *roles])
    staff.user = user
    staff.save(update_fields=["user"])
    return user
