"""``POST /api/v1/auth/token/``, ``…/auth/logout/``, ``…/auth/logout-all/`` (API.md)."""

from __future__ import annotations

import logging

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ErrorCode, RoleRequired

from ..lockout import lockout_response
from ..services import totp_device_of, two_factor_required
from .authentication import TokenAuthentication

logger = logging.getLogger("accounts")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)
    otp_token = serializers.CharField(
        required=False,
        help_text="The current authenticator code (or a recovery code) where two-factor "
        "authentication is required for the account's role.",
    )


class TokenView(APIView):
    """``{username, password}`` → ``{token, expiry}``: a new token for this client, valid for
    ``API_TOKEN_TTL_HOURS``. Watched by django-axes: too many failures answer 429."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "TokenResponse",
            {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
        ),
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        django_request = request._request
        user = authenticate(
            request=django_request, username=data["username"], password=data["password"]
        )
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request, credentials={"username": data["username"]})
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with the username and password.")]},
                code=str(ErrorCode.INVALID_CREDENTIALS),
            )
        device = totp_device_of(user)
        if device is None and two_factor_required(user):
            raise RoleRequired(
                _("Set up two-factor authentication on the web before using the API."),
                code=ErrorCode.TWO_FACTOR_NOT_ENROLLED,
            )
        if device is not None:
            if not data.get("otp_token"):
                raise RoleRequired(
                    _("This account needs an authenticator code (otp_token)."),
                    code=ErrorCode.TWO_FACTOR_REQUIRED,
                )
            if match_token(user, data["otp_token"]) is None:
                raise RoleRequired(
                    _("The authenticator code is wrong or expired."),
                    code=ErrorCode.TWO_FACTOR_INVALID,
                )
        instance, token = AuthToken.objects.create(user=user)
        logger.info("API token issued to %s", user.get_username())
        return Response(
            {
                "token": token,
                "expiry": serializers.DateTimeField().to_representation(instance.expiry),
            }
        )


class LogoutView(APIView):
    """Revoke the token of this request."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every token of the caller (every client signed in with it)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        AuthToken.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
