import pytest
from django.test import Client

from core.roles import Role
from tests.factories import UserFactory

PASSWORD = "pw"


@pytest.fixture
def person(db):
    """A plain staff login with the password ``pw``."""
    return UserFactory(username="amy", roles=[Role.STAFF], email="amy@example.com")


@pytest.fixture
def office(db):
    return UserFactory(username="office", roles=[Role.HR])


@pytest.fixture
def office_client(office):
    client = Client()
    client.force_login(office)
    return client
