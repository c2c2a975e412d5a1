"""Forms of the competency pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from org.models import Level, OrgUnit, Track

from .models import Competency, CompetencyModel, RaterType


class CompetencyModelForm(forms.ModelForm):
    class Meta:
        model = CompetencyModel
        fields = ["track", "name", "name_en", "description", "description_en", "scale_max"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.all()


class CompetencyForm(forms.ModelForm):
    """A competency with one description (Chinese and English) per proficiency level."""

    class Meta:
        model = Competency
        fields = [
            "code",
            "name",
            "name_en",
            "category",
            "kind",
            "order",
            "description",
            "description_en",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, model: CompetencyModel, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = model
        existing = {}
        if self.instance.pk:
            existing = {pl.level: pl for pl in self.instance.levels.all()}
        self.level_fields = []
        for level in model.scale:
            current = existing.get(level)
            zh, en = f"level_{level}", f"level_{level}_en"
            self.fields[zh] = forms.CharField(
                label=_("Level %(n)s") % {"n": level},
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.description if current else "",
            )
            self.fields[en] = forms.CharField(
                label=_("Level %(n)s (English)") % {"n": level},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=current.description_en if current else "",
            )
            self.level_fields.append((level, zh, en))

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = Competency.objects.filter(model=self.model, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This code is already used in this model."))
        return code

    def levels(self) -> list[dict]:
        return [
            {
                "level": level,
                "description": self.cleaned_data[zh],
                "description_en": self.cleaned_data[en],
            }
            for level, zh, en in self.level_fields
        ]

    def level_rows(self):
        return [(level, self[zh], self[en]) for level, zh, en in self.level_fields]


class RoundForm(forms.Form):
    """Open a round for the active staff of a unit subtree (optionally one level)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    model = forms.ModelChoiceField(
        label=_("Competency model"),
        queryset=CompetencyModel.objects.filter(status=CompetencyModel.Status.PUBLISHED),
    )
    unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.all())
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=Level.objects.select_related("track"), required=False
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    weight_manager = forms.DecimalField(
        label=_("Manager weight"), initial=50, min_value=0, max_digits=6, decimal_places=2
    )
    weight_peer = forms.DecimalField(
        label=_("Peer weight"), initial=20, min_value=0, max_digits=6, decimal_places=2
    )
    weight_expert = forms.DecimalField(
        label=_("Expert weight"), initial=20, min_value=0, max_digits=6, decimal_places=2
    )
    weight_self = forms.DecimalField(
        label=_("Self weight"), initial=10, min_value=0, max_digits=6, decimal_places=2
    )


class RaterInviteForm(forms.Form):
    username = forms.CharField(label=_("Login of the rater"), max_length=150)
    rater_type = forms.ChoiceField(
        label=_("Rater type"),
        choices=[(t.value, t.label) for t in RaterType if t != RaterType.SELF],
    )

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No such login."))
        self.cleaned_data["user"] = user
        return name
