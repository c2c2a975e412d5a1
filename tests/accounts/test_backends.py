"""The signed-in user of each request is read with its roles in one query
(``accounts.backends.RolesModelBackend``, ``core.roles.remember_roles``)."""

from django.contrib.auth import get_user_model
from django.test import Client

from accounts.backends import RolesModelBackend
from core.roles import Role, has_role, is_office, roles_of
from tests.factories import UserFactory


def test_the_user_comes_with_its_roles_in_one_query(db, django_assert_num_queries):
    user = UserFactory(username="both", roles=[Role.STAFF, Role.COMMITTEE])
    with django_assert_num_queries(1):
        loaded = RolesModelBackend().get_user(user.pk)
        assert roles_of(loaded) == {Role.STAFF, Role.COMMITTEE}
        assert has_role(loaded, Role.COMMITTEE)
        assert not is_office(loaded)


def test_a_superuser_is_an_administrator_and_no_group_is_no_role(db):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    plain = UserFactory(username="plain")
    assert roles_of(RolesModelBackend().get_user(root.pk)) == {Role.ADMIN}
    assert roles_of(RolesModelBackend().get_user(plain.pk)) == frozenset()


def test_an_inactive_or_missing_user_is_no_one(db):
    gone = UserFactory(username="gone", roles=[Role.HR])
    gone.is_active = False
    gone.save()
    assert RolesModelBackend().get_user(gone.pk) is None
    assert RolesModelBackend().get_user(gone.pk + 1000) is None
    assert RolesModelBackend().get_user("not a number") is None


def test_the_user_is_the_whole_user(db):
    """Every field as the ORM reads it: the password hash the session is checked against, the
    dates, the flags."""
    user = UserFactory(username="whole", roles=[Role.STAFF], email="w@example.com")
    loaded = RolesModelBackend().get_user(user.pk)
    expected = get_user_model().objects.get(pk=user.pk)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.get_session_auth_hash() == expected.get_session_auth_hash()
    assert loaded._state.adding is False and loaded._state.db == "default"


def test_a_role_taken_away_is_gone_at_the_next_request(db):
    """The roles are read afresh with the user on every request, never kept in the session."""
    user = UserFactory(username="office2", roles=[Role.HR])
    client = Client()
    client.force_login(user)
    assert client.get("/ranking/").status_code == 200
    user.groups.clear()
    assert client.get("/ranking/").status_code == 403
