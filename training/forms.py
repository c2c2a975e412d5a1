"""Forms of the training pages. They parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from competency.models import Competency
from org.models import OrgUnit

from .models import Course, TrainingActivity, TrainingSession


def DATE():
    return forms.DateInput(attrs={"type": "date"})


class BootstrapMixin:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class SessionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "course",
            "start",
            "end",
            "place",
            "trainer",
            "capacity",
            "pass_mark",
            "self_enrolment",
        ]
        widgets = {"start": DATE(), "end": DATE()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(active=True).order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The session cannot end before it starts."))
        return data


class EnrolForm(BootstrapMixin, forms.Form):
    employee_no = forms.CharField(label=_("Employee number"), max_length=32)


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File (CSV UTF-8 or XLSX)"))


class LedgerFilterForm(BootstrapMixin, forms.Form):
    """The ledger filters: unit (with its sub-units), period, course."""

    unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE())
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE())
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.order_by("code"), required=False
    )
    q = forms.CharField(label=_("Name or employee number"), required=False, max_length=100)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units.order_by("path")


class CertificateForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Certificate"), max_length=200)
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE())
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE(),
        help_text=_("Leave empty for a certificate that does not expire."),
    )
    course = forms.ModelChoiceField(
        label=_("Equivalent course"),
        queryset=Course.objects.filter(active=True).order_by("code"),
        required=False,
    )
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=6, decimal_places=1, min_value=Decimal(0), initial=0
    )
    credits = forms.DecimalField(
        label=_("Credits claimed"), max_digits=6, decimal_places=2, min_value=Decimal(0), initial=0
    )
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 5 MB)"))


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", pgettext_lazy("certificate", "Verify")), ("reject", _("Reject"))],
        widget=forms.HiddenInput,
    )
    credits = forms.DecimalField(
        label=_("Credits accepted"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE())
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ChooseProgrammeForm(BootstrapMixin, forms.Form):
    programme = forms.CharField(label=_("Programme"), max_length=200, required=False)
    course = forms.ModelChoiceField(
        label=_("or a catalogue course"),
        queryset=Course.objects.filter(active=True).order_by("code"),
        required=False,
    )


class UsageForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    date = forms.DateField(label=_("Date"), widget=DATE())
    description = forms.CharField(label=_("Description"), max_length=200)


class ActivityForm(BootstrapMixin, forms.Form):
    """HR records a mentoring or a job rotation; people by employee number."""

    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingActivity.Kind.choices)
    employee_no = forms.CharField(
        label=_("Employee number of the mentee or the staff member on rotation"), max_length=32
    )
    mentor_no = forms.CharField(
        label=_("Employee number of the mentor (mentoring)"), max_length=32, required=False
    )
    host_unit = forms.ModelChoiceField(
        label=_("Host unit (rotation)"), queryset=OrgUnit.objects.none(), required=False
    )
    start = forms.DateField(label=_("Start date"), widget=DATE())
    end = forms.DateField(label=_("End date"), widget=DATE())
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=6, decimal_places=1, min_value=Decimal("0.1")
    )
    goals = forms.CharField(
        label=_("Goals"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["host_unit"].queryset = units.order_by("path")


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    """A participant's rating of a session, 1–5 on each question."""

    content = forms.TypedChoiceField(
        label=_("Content"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    trainer = forms.TypedChoiceField(
        label=_("Trainer"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    usefulness = forms.TypedChoiceField(
        label=_("Usefulness for my work"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class PlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    budget = forms.DecimalField(
        label=_("Budget"), max_digits=12, decimal_places=2, min_value=Decimal(0)
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units.order_by("path")


class PlanLineForm(BootstrapMixin, forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.filter(active=True).order_by("code"),
        required=False,
    )
    topic = forms.CharField(label=_("or a topic"), max_length=200, required=False)
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.none(), required=False
    )
    participants = forms.IntegerField(label=_("Planned participants"), min_value=1)
    cost = forms.DecimalField(label=_("Cost"), max_digits=12, decimal_places=2, min_value=0)

    def __init__(self, *args, competencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if competencies is not None:
            self.fields["competency"].queryset = competencies


class GoalForm(BootstrapMixin, forms.Form):
    """An agreed development goal: what, by when, the competency gap and/or the course."""

    text = forms.CharField(label=_("Goal"), max_length=500)
    due_on = forms.DateField(label=_("Due on"), widget=DATE())
    competency = forms.ModelChoiceField(
        label=_("Competency gap"), queryset=Competency.objects.none(), required=False
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.filter(active=True).order_by("code"),
        required=False,
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Competency.objects.filter(model__status="published")
        if staff is not None and staff.track_id:
            qs = qs.filter(model__track_id=staff.track_id)
        self.fields["competency"].queryset = qs.order_by("order", "code")
