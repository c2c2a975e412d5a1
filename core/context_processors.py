from core.roles import Role, roles_of

from .navigation import has_staff_record, items_for, menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    labels = dict(Role.choices)
    items = items_for(user, has_staff=has_staff_record(user))
    return {
        "nav_items": items,
        "nav_menu": menu_for(items, request.path),
        "my_roles": [labels[r] for r in Role.values if r in roles_of(user)],
    }
