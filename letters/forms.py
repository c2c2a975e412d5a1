from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Appointment

from . import wording
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
    meeting_year = forms.IntegerField(
        label=_("Leadership group meeting: year"), required=False, min_value=2000, max_value=2999
    )
    meeting_no = forms.IntegerField(
        label=_("Leadership group meeting: number in that year"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_(
            "The meeting that decided, named in each letter's reference to the decision "
            "(“经公司认证领导小组2026年第3次会议研究决定”). Leave both empty to name no meeting."
        ),
    )

    def clean(self):
        data = super().clean()
        year, number = data.get("meeting_year"), data.get("meeting_no")
        if (year is None) != (number is None) and not self.errors:
            missing = "meeting_no" if number is None else "meeting_year"
            self.add_error(missing, _("Give both the year and the number of the meeting."))
        return data


class LetterTemplateForm(forms.Form):
    """The wording of a letter template (letters.wording): every part is checked for unknown
    fields and template syntax, each error shown under its own part."""

    title = forms.CharField(label=_("Title"), max_length=200)
    salutation = forms.CharField(label=_("Salutation"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "One paragraph per line. A paragraph naming a field that is empty for a "
            "letter is left out of that letter."
        ),
    )
    closing = forms.CharField(
        label=_("Closing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("After the benefits table, before the signature. One paragraph per line."),
    )
    cc = forms.CharField(label=_("Copy to (抄送)"), max_length=300, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self):
        data = super().clean()
        for part, errors in wording.check(self.kind, data).items():
            if part in self.fields and part not in self.errors:
                for error in errors:
                    self.add_error(part, error)
        return data
