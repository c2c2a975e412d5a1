from django import forms
from django.utils.translation import gettext_lazy as _


class OtpForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Authenticator code or recovery code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PasswordResetByOfficeForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    reason = forms.CharField(label=_("Reason"), max_length=500)
