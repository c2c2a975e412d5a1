"""Forms of the office pages: a new cycle (set-up, offers, scoring sheet) and a panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from org.models import Staff

from .models import Dimension

HUNDRED = Decimal("100")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BootstrapMixin:
    """Bootstrap classes on every widget, ``is-invalid`` on the fields with errors."""

    def _style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
                widget.attrs["aria-describedby"] = f"{self.prefix or 'f'}-{name}-error"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self._style()


class CycleForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    window_start = forms.DateField(label=_("Applications from"), widget=DateInput())
    window_end = forms.DateField(label=_("Applications until"), widget=DateInput())
    reference_date = forms.DateField(
        label=_("Eligibility reference date"),
        required=False,
        widget=DateInput(),
        help_text=_("The date the eligibility rules are evaluated on. Empty: the window end."),
    )
    publicity_days = forms.IntegerField(
        label=_("Publicity (working days)"), min_value=1, max_value=30, initial=5
    )
    same_unit_conflict = forms.BooleanField(
        label=_("Members of the candidate's org unit are conflicted"), required=False, initial=True
    )
    strict_eligibility = forms.BooleanField(
        label=_("Strict eligibility: no override"),
        required=False,
        help_text=_(
            "An application that fails an eligibility rule cannot be qualified, not even with "
            "a reason."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The window must end on or after its start."))
        ref = data.get("reference_date")
        if ref and start and ref < start:
            self.add_error("reference_date", _("The reference date cannot be before the window."))
        return data


class OfferForm(BootstrapMixin, forms.Form):
    """One level of the track: offered or not, with its quota and pass line."""

    offered = forms.BooleanField(label=_("Offered"), required=False)
    quota = forms.IntegerField(label=_("Quota"), min_value=1, max_value=9999, required=False)
    pass_line = forms.DecimalField(
        label=_("Pass line"),
        max_digits=6,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )

    def __init__(self, *args, level=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.level = level
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("offered"):
            for name in ("quota", "pass_line"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Required for an offered level."))
        return data


class DimensionForm(BootstrapMixin, forms.Form):
    """One dimension of the scoring sheet; a row left entirely empty is ignored."""

    name = forms.CharField(label=_("Dimension"), max_length=100, required=False)
    code = forms.SlugField(label=_("Code"), max_length=32, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Dimension.Source.choices, required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=5,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
    )
    max_score = forms.DecimalField(
        label=_("Maximum"),
        max_digits=6,
        decimal_places=2,
        required=False,
        initial=HUNDRED,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("name") or data.get("code") or data.get("weight"))

    def clean(self):
        data = super().clean()
        if data.get("name") or data.get("code") or data.get("weight"):
            for name in ("name", "code", "source", "weight", "max_score"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        return data


class BaseDimensionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(form.errors for form in self.forms):
            return
        rows = [f.cleaned_data for f in self.forms if not f.is_blank]
        if not rows:
            raise forms.ValidationError(_("The scoring sheet needs at least one dimension."))
        codes = [r["code"] for r in rows]
        if len(set(codes)) != len(codes):
            raise forms.ValidationError(_("Dimension codes must be unique."))
        total = sum((r["weight"] for r in rows), Decimal(0))
        if total != HUNDRED:
            raise forms.ValidationError(
                _("The weights sum to %(total)s; they must sum to exactly 100.")
                % {"total": format(total.normalize(), "f")}
            )

    def dimensions(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("code", "name", "source", "weight", "max_score")}
            for f in self.forms
            if not f.is_blank
        ]


DimensionFormSet = forms.formset_factory(
    DimensionForm, formset=BaseDimensionFormSet, extra=1, max_num=12, absolute_max=12
)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return getattr(user, "panel_label", user.get_username())


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return getattr(user, "panel_label", user.get_username())


def unit_label(unit) -> str:
    """ "Branch / department": department names repeat across branches."""
    if unit is None:
        return "—"
    return unit.display_path


def committee_users():
    """Users holding the committee role, with a label "name · employee no · unit"."""
    users = list(
        get_user_model()
        .objects.filter(groups__name=Role.COMMITTEE, is_active=True)
        .order_by("username")
        .distinct()
    )
    staff = {
        s.user_id: s
        for s in Staff.objects.filter(user__in=users).select_related("unit__parent", "level")
    }
    for user in users:
        s = staff.get(user.pk)
        level = s.level.code if s and s.level else "—"
        user.panel_label = (
            f"{s.name} · {s.employee_no} · {level} · {unit_label(s.unit)}"
            if s
            else user.get_username()
        )
        user.staff_record = s
    return users


class PanelForm(BootstrapMixin, forms.Form):
    chair = ChairChoiceField(label=_("Chair"), queryset=get_user_model().objects.none())
    members = MemberChoiceField(
        label=_("Members"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Scoring deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: the members are reminded before it."),
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in users]
        qs = get_user_model().objects.filter(pk__in=ids).order_by("username")
        for name in ("chair", "members"):
            self.fields[name].queryset = qs
            # Reuse the labelled objects so the choices need no query per user.
            self.fields[name].choices = [
                *([("", "---------")] if name == "chair" else []),
                *[(u.pk, u.panel_label) for u in users],
            ]
        self._style()


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DefenceForm(BootstrapMixin, forms.Form):
    """A defence slot as the office enters it: the day, the start time and the length in the
    configured time zone, and a place and/or a video link (the service checks the rest)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Start time"), widget=TimeInput())
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, max_value=480)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.CharField(label=_("Video link"), max_length=500, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def slot(self):
        """``(starts_at, ends_at)``, aware, from the cleaned data."""
        start = timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["start"])
        )
        return start, start + dt.timedelta(minutes=self.cleaned_data["minutes"])
