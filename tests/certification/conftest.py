import pytest

from core.roles import Role
from tests.certification.factories import FakeSources, install_sources
from tests.factories import UserFactory


@pytest.fixture
def hr(db):
    return UserFactory(username="cert-hr", roles=[Role.HR])


@pytest.fixture
def leader(db):
    return UserFactory(username="cert-leader", roles=[Role.LEADERSHIP])


@pytest.fixture
def fake(monkeypatch):
    return install_sources(monkeypatch, FakeSources())


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def small_panels_allowed(settings):
    """Most tests here exercise the scoring arithmetic with one or two members; the panel
    minimum (COMMITTEE_MIN_PANEL, default 3) has its own tests, which set it back."""
    settings.COMMITTEE_MIN_PANEL = 1
