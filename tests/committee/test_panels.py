"""The minimum panel size (committee.panels): scoring needs COMMITTEE_MIN_PANEL effective
members after recusals."""

import pytest
from django.test import override_settings

from committee.panels import min_panel_size, panel_size_require
from core.errors import DomainError, ErrorCode


def test_the_default_minimum_is_three():
    assert min_panel_size() == 3


def test_three_effective_members_may_score_two_may_not():
    panel_size_require(effective=3)
    with pytest.raises(DomainError) as refused:
        panel_size_require(effective=2)
    assert refused.value.code == ErrorCode.PANEL_TOO_SMALL
    assert refused.value.details == {"effective": 2, "needed": 3}


@override_settings(COMMITTEE_MIN_PANEL=5)
def test_the_minimum_is_a_setting():
    with pytest.raises(DomainError):
        panel_size_require(effective=4)
    panel_size_require(effective=5)
