"""The demo shows a re-certification in each interesting state of the procedure."""

import io

import pytest
from django.core.management import call_command

from ranking.models import RecertificationAppeal, RecertificationCase

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_case_in_every_state_of_the_procedure():
    call_command("seed_demo", staff=200, quiet=True, stdout=io.StringIO())
    cases = RecertificationCase.objects.all()
    assert cases.filter(status="open", sheets__isnull=False).exists(), "being scored"
    assert cases.filter(status="published").exists(), "proposed, in publicity"
    approved = cases.filter(status="approved")
    assert approved.filter(appeals__status="open").exists(), "approved, appeal pending"
    window = approved.exclude(appeals__isnull=False).get()
    assert window.staff.user is not None  # the visitor signs in as this person to appeal
    decided = set(cases.filter(status="decided").values_list("outcome", flat=True))
    assert decided == {"kept", "demoted", "eliminated"}
    assert RecertificationAppeal.objects.count() == 1
