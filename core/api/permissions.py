"""API permission classes built on ``core.roles``: who may act at all (403 otherwise).

Which objects a caller may *see* is decided by ``org.scope`` in each ``get_queryset``.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import is_office


class OfficeWritesOthersRead(BasePermission):
    """Any signed-in user reads (within scope); only the office (HR) and administrators write."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or is_office(request.user)


class OfficeOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and is_office(request.user))
