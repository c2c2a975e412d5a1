from .scope import staff_of


def my_staff(request):
    """The signed-in user's staff record, for the header (``None`` when not linked)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_staff": staff_of(user)}
