from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnnualScore, Period


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
