from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from org.models import Track

from .models import CITATION_MAX_LENGTH, RankingRun


def style(form) -> None:
    """Bootstrap classes on every widget and ``is-invalid`` on the fields with errors."""
    for name, field in form.fields.items():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            field.widget.attrs["aria-describedby"] = f"{name}-error"
        field.widget.attrs["class"] = css


def styled(form):
    """:func:`style`, returning the form (for a context dict)."""
    style(form)
    return form


class RunForm(forms.Form):
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    cohort = forms.ChoiceField(
        label=_("Cohorts"), choices=RankingRun.Cohort.choices, initial=RankingRun.Cohort.TRACK
    )
    bottom_pct = forms.DecimalField(
        label=_("Bottom band (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        initial=Decimal("5"),
    )
    min_months = forms.IntegerField(
        label=_("Minimum months of service"), min_value=0, max_value=12, initial=6
    )
    min_cohort = forms.IntegerField(label=_("Minimum cohort size"), min_value=1, initial=10)
    kpi_weight = forms.DecimalField(
        label=_("KPI weight w"),
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        initial=Decimal("1"),
    )
    pass_line = forms.DecimalField(
        label=_("Re-certification pass line"), max_digits=5, decimal_places=2, initial=60
    )
    elimination_line = forms.DecimalField(
        label=_("Elimination line"), max_digits=5, decimal_places=2, initial=40
    )
    spread_threshold = forms.DecimalField(
        label=_("Spread flag (std dev of a panel's totals)"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("10"),
        required=False,
    )
    reason = forms.CharField(label=_("Reason (when the year is already committed)"), required=False)

    def clean_spread_threshold(self):
        value = self.cleaned_data["spread_threshold"]
        return RankingRun._meta.get_field("spread_threshold").default if value is None else value


class CommitForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False)


class AssignForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Panel members"), queryset=get_user_model().objects.none()
    )
    chair = forms.ModelChoiceField(
        label=_("Chair"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("One of the members; by default the current chair, else the first member."),
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        from core.roles import Role

        committee = queryset or get_user_model().objects.filter(groups__name=Role.COMMITTEE)
        self.fields["members"].queryset = committee
        self.fields["chair"].queryset = committee


class ReopenForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for reopening"), max_length=2000)


class ScoreForm(forms.Form):
    """A member's sheet: one field per part of the case's sheet (``part_<code>``), each within
    the part's maximum."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea)
    submit = forms.BooleanField(label=_("Submit (locks the sheet)"), required=False, initial=True)

    def __init__(self, *args, definition=(), **kwargs):
        super().__init__(*args, **kwargs)
        for part in definition:
            self.fields[f"part_{part['code']}"] = forms.DecimalField(
                label=_("%(name)s (0–%(max)s, weight %(weight)s)")
                % {"name": part["name"], "max": part["max"], "weight": part["weight"]},
                max_digits=9,
                decimal_places=4,
                min_value=Decimal("0"),
                max_value=Decimal(part["max"]),
            )
        self.order_fields([f for f in self.fields if f.startswith("part_")])

    def scores(self) -> dict:
        return {
            name.removeprefix("part_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("part_")
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ApproveForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Refuse"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Objection"), max_length=4000, widget=forms.Textarea)


class ObjectionResolveForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        choices=[("0", _("Dismiss")), ("1", _("Uphold (back to scoring)"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the appeal"), max_length=4000, widget=forms.Textarea
    )
    material = forms.FileField(
        label=_("Supporting file (PDF, PNG, JPEG, DOCX or XLSX, at most 10 MB)"), required=False
    )


class AppealResolveForm(forms.Form):
    appeal = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("dismissed", _("Dismiss: the outcome stands")),
            ("rescore", _("Uphold: re-scored by a new panel")),
            ("kept", _("Uphold: the level is kept")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class HonourPhotoForm(forms.Form):
    """HR adds a photo to a card of the honour roll."""

    run = forms.IntegerField(widget=forms.HiddenInput)
    staff = forms.IntegerField(widget=forms.HiddenInput)
    photo = forms.FileField(label=_("Photo (JPEG or PNG, at most 2 MB)"))


class HonourCitationForm(forms.Form):
    """HR writes a member's achievement write-up (事迹简介)."""

    text = forms.CharField(
        label=_("Achievement write-up"),
        required=False,
        max_length=CITATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": CITATION_MAX_LENGTH}),
        help_text=_("Shown on the honour roll and its poster; leave empty to show none."),
    )
