from org.roles import Role, roles_of
from org.scope import staff_of

from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    me = staff_of(user)
    labels = dict(Role.choices)
    return {
        "nav_items": items_for(user, has_staff=me is not None),
        "my_staff": me,
        "my_roles": [labels[r] for r in Role.values if r in roles_of(user)],
    }
