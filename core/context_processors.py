from core.roles import Role, roles_of
from org.scope import staff_of

from .navigation import items_for, menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    me = staff_of(user)
    labels = dict(Role.choices)
    items = items_for(user, has_staff=me is not None)
    return {
        "nav_items": items,
        "nav_menu": menu_for(items, request.path),
        "my_staff": me,
        "my_roles": [labels[r] for r in Role.values if r in roles_of(user)],
    }
