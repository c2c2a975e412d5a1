"""``Authorization: Token <token>`` with expiring, revocable django-rest-knox tokens."""

from __future__ import annotations

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from core.errors import ErrorCode, RoleRequired

from ..services import must_change_password


class PasswordChangeRequired(RoleRequired):
    code = ErrorCode.PASSWORD_CHANGE_REQUIRED


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token check (unknown, expired or revoked token, inactive user → 401), then the
    account gate: an account that owes a password change gets 403
    ``password_change_required`` until its owner chose one on the web."""

    def authenticate_credentials(self, token):
        user, auth_token = super().authenticate_credentials(token)
        if must_change_password(user):
            raise PasswordChangeRequired(_("Choose a new password before you continue."))
        return user, auth_token
