from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Appointment

from .models import Letter


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BatchIssueForm(forms.Form):
    """Which appointments to issue letters for: by reason and start date."""

    kind = forms.ChoiceField(label=_("Kind of letter"), choices=Letter.Kind.choices)
    reason = forms.ChoiceField(label=_("Appointment reason"), choices=Appointment.Reason.choices)
    start_from = forms.DateField(
        label=_("Appointments starting on or after"), widget=forms.DateInput(attrs={"type": "date"})
    )
    only_open = forms.BooleanField(
        label=_("Only current appointments"), required=False, initial=True
    )
