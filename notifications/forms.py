from django import forms
from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import registry


def event_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The registered events grouped by the app that raises them (the code's prefix)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, event in sorted(registry.EVENTS.items()):
        groups.setdefault(code.split(".", 1)[0], []).append((code, str(event.label)))
    result = []
    for prefix, choices in groups.items():
        try:
            heading = str(apps.get_app_config(prefix).verbose_name)
        except LookupError:  # an event code named after no app: its prefix is its heading
            heading = prefix
        result.append((heading, choices))
    return result


class NotificationSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    email_enabled = forms.BooleanField(label=_("By e-mail"), required=False)
    im_enabled = forms.BooleanField(label=_("By enterprise IM"), required=False)
    digest = forms.BooleanField(
        label=_("Daily digest"),
        required=False,
        help_text=_("One e-mail / IM message a day instead of one per notification."),
    )
    sent_events = forms.MultipleChoiceField(
        label=_("Send me by e-mail / IM"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unticked events are only shown here in the product."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_events"].choices = event_choices()

    def muted_events(self) -> list[str]:
        sent = set(self.cleaned_data["sent_events"])
        return sorted(code for code in registry.EVENTS if code not in sent)
