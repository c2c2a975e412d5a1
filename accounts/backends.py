"""The authentication backend: Django's model backend, whose user of each request arrives with
its roles (``core.roles.with_roles``) — one query for the user and their roles, not two."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core.roles import with_roles


class RolesModelBackend(ModelBackend):
    """``ModelBackend`` (usernames and passwords, model permissions) whose ``get_user`` — the
    signed-in user of every request with a session — reads the user's roles in the same
    query."""

    def get_user(self, user_id):
        users = with_roles(get_user_model()._default_manager.all())
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
