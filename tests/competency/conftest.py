import pytest

from core.roles import Role
from tests.factories import StaffFactory, UserFactory, make_unit, make_user_for


@pytest.fixture
def team(ladder):
    """A manager with two reports in one unit, and an outsider in another unit."""
    root = make_unit("ROOT")
    sales = make_unit("SALES", parent=root)
    other = make_unit("OTHER", parent=root)
    boss = StaffFactory(level=ladder[3], unit=sales, name="经理")
    boss_user = make_user_for(boss, Role.MANAGER, username="boss")
    alice = StaffFactory(level=ladder[1], unit=sales, manager=boss, name="Alice")
    alice_user = make_user_for(alice, username="alice")
    bob = StaffFactory(level=ladder[1], unit=sales, manager=boss, name="Bob")
    bob_user = make_user_for(bob, username="bob")
    outsider = StaffFactory(level=ladder[1], unit=other, name="Olga")
    outsider_user = make_user_for(outsider, username="olga")
    expert_user = UserFactory(username="expert", roles=[Role.STAFF])
    return {
        "boss": boss,
        "boss_user": boss_user,
        "alice": alice,
        "alice_user": alice_user,
        "bob": bob,
        "bob_user": bob_user,
        "outsider": outsider,
        "outsider_user": outsider_user,
        "expert_user": expert_user,
    }
