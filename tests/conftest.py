import pytest
from rest_framework.test import APIClient

from org.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def api():
    """An unauthenticated API client; use ``api.force_authenticate(user)``."""
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def hr_user(db):
    return UserFactory(username="hr-officer", roles=[Role.HR])


@pytest.fixture
def hr_api(hr_user):
    return client_for(hr_user)
