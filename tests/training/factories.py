"""Factories of the training tests."""

from decimal import Decimal

import factory

from tests.clock import days
from training.models import Course, TrainingRecord, TrainingSession


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    title = factory.Sequence(lambda n: f"课程{n}")
    category = Course.Category.PROFESSIONAL
    form = Course.Form.OFF_JOB
    hours = Decimal("8.0")
    credits = Decimal("4.00")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    start = factory.LazyFunction(lambda: days(-49))
    end = factory.LazyFunction(lambda: days(-48))
    place = "广州培训中心"
    capacity = 20
    pass_mark = Decimal("60.00")


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    course = factory.SubFactory(CourseFactory)
    date = factory.LazyFunction(lambda: days(-182))
    hours = Decimal("8.0")
    credits = Decimal("4.00")
    result = TrainingRecord.Result.PASSED
    source = TrainingRecord.Source.IMPORT
