from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnnualScore, Period, RaterType


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )


class PeriodChoiceForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Period"),
        queryset=Period.objects.filter(period_type="month"),
        to_field_name="code",
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


GRADE_CHOICES = [("", "—")] + [(g, g) for g in AnnualScore.Grade.values]


class CorrectionForm(forms.Form):
    value = forms.CharField(label=_("New value"), max_length=64)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def style(form) -> None:
    """Bootstrap classes on every widget and ``is-invalid`` on the fields with errors."""
    for name, field in form.fields.items():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            field.widget.attrs["aria-describedby"] = f"{form.prefix}-{name}-error"
        field.widget.attrs["class"] = css


ASSIGNED_TYPES = [
    (t.value, t.label) for t in (RaterType.MANAGER, RaterType.PEER, RaterType.SUBORDINATE)
]


class RaterAssignForm(forms.Form):
    """Assign a rater (by employee number) of a type to one of the multi-source indicators."""

    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    rater_type = forms.ChoiceField(label=_("Rater type"), choices=ASSIGNED_TYPES)
    rater = forms.CharField(
        label=_("Rater's employee number"),
        max_length=32,
        help_text=_("The rater needs a login; peers may be in any team."),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["indicator"].choices = [(i.pk, i.display_name) for i in indicators]


class ClientRatingForm(forms.Form):
    """A client's score 0–100 of a multi-source indicator, entered by the manager or HR. The
    score is checked by the service, so its refusal reads the same here and in the API."""

    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    score = forms.CharField(
        label=_("Client's score (0–100)"),
        max_length=16,
        widget=forms.TextInput({"inputmode": "decimal"}),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, prefix="client", **kwargs)
        self.fields["indicator"].choices = [(i.pk, i.display_name) for i in indicators]
