"""Account pages: password change and reset, two-factor enrolment and verification, the
office's accounts page (lockouts, password resets)."""

from __future__ import annotations

import base64

import segno
from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from core.roles import require_office_page

from . import middleware, services
from .forms import OtpForm, PasswordResetByOfficeForm, ReasonForm


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def account(request):
    """The signed-in person's account: password, second factor."""
    return render(
        request,
        "accounts/account.html",
        {
            "has_device": user_has_device(request.user),
            "two_factor_required": services.two_factor_required(request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Self-service change: the current password, then a new one checked by the validators."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_changed(user=self.request.user)
        self.request.session.pop(middleware.MUST_CHANGE_KEY, None)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_changed(user=form.user)
        messages.success(self.request, _("Your password has been set. You can sign in now."))
        return response


@login_required
def two_factor_verify(request):
    """The second step of sign-in: an authenticator code, or one recovery code (used once)."""
    if services.totp_device_of(request.user) is None:
        return redirect("accounts:two-factor-enrol")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        services.logger.warning("wrong second factor for %s", request.user.get_username())
        form.add_error("otp_token", _("The code is wrong or expired."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request, "")}
    )


def _qr_data_uri(uri: str) -> str:
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def two_factor_enrol(request):
    """Enrol an authenticator app: the otpauth URI, its base32 secret and a QR code; the first
    right code confirms the device and shows the recovery codes once."""
    if services.totp_device_of(request.user) is not None and not request.user.is_verified():
        return redirect("accounts:two-factor-verify")
    device = services.totp_device_start(user=request.user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].replace(" ", "")):
            codes = services.totp_device_confirm(user=request.user, device=device)
            otp_login(request, device)
            request.session[middleware.HAS_DEVICE_KEY] = True
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("otp_token", _("The code is wrong or expired."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "uri": device.config_url,
            "secret": secret,
            "qr": _qr_data_uri(device.config_url),
        },
    )


@login_required
@require_POST
def two_factor_disable(request):
    if services.two_factor_required(request.user):
        raise PermissionDenied
    services.two_factor_disable(actor=request.user, user=request.user)
    request.session.pop(middleware.HAS_DEVICE_KEY, None)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:account")


@login_required
def office_accounts(request):
    """The office's page: locked accounts (with unlock) and the password reset."""
    require_office_page(request.user)
    return render(
        request,
        "accounts/office_accounts.html",
        {
            "locked": list(services.locked_attempts()),
            "reason_form": ReasonForm(),
            "reset_form": PasswordResetByOfficeForm(),
        },
    )


@login_required
@require_POST
def office_unlock(request, pk: int):
    require_office_page(request.user)
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to unlock the account."))
        return redirect("accounts:office-accounts")
    services.lockout_clear(actor=request.user, attempt=attempt, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(username)s is unlocked.") % {"username": attempt.username})
    return redirect("accounts:office-accounts")


@login_required
@require_POST
def office_reset_password(request):
    require_office_page(request.user)
    form = PasswordResetByOfficeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the username and the reason."))
        return redirect("accounts:office-accounts")
    user = services.user_by_username(form.cleaned_data["username"])
    if user is None:
        messages.error(request, _("No account with that username."))
        return redirect("accounts:office-accounts")
    if user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    temporary = services.account_password_reset(
        actor=request.user, user=user, reason=form.cleaned_data["reason"]
    )
    return render(
        request, "accounts/office_reset_done.html", {"account": user, "temporary": temporary}
    )
