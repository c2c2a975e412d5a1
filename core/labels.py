"""One translated mapping for the codes the product shows: audit verbs, statuses, actors.

Audit events store codes (``start_review``, ``appoint:demotion``, ``qualification`` →
``review``) and the account that acted; pages show them in the reader's language and by the
person's name. Every audit list renders its events through :func:`audit_rows` (template tag
``{% audit_rows events as rows %}``), never the raw fields.

* **Actions**: :data:`ACTIONS` holds the verbs every app uses (create, update, approve, …); an
  app registers its own with :func:`register_actions` in its ``AppConfig.ready``. A code
  ``prefix:detail`` or ``prefix.detail`` (``appoint:demotion``) not registered whole is shown as
  "<prefix label>: <detail label>", the detail looked up as an action then as a state.
* **States** come from the audited model's own ``choices`` (its ``TextChoices`` labels), through
  the event's content type; apps may add others with :func:`register_states`.
* **Actors**: a lower app cannot know where names live, so the app that owns people registers
  a batch look-up with :func:`register_actor_names` (``{user id: name}``); one query per list.

An unknown code is shown as it is (and ``tests/core/test_labels.py`` makes sure the known
workflows have none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Label = str | Promise

ACTIONS: dict[str, Label] = {
    "create": pgettext_lazy("audit action", "created"),
    "update": pgettext_lazy("audit action", "updated"),
    "delete": pgettext_lazy("audit action", "deleted"),
    "open": pgettext_lazy("audit action", "opened"),
    "close": pgettext_lazy("audit action", "closed"),
    "approve": pgettext_lazy("audit action", "approved"),
    "reject": pgettext_lazy("audit action", "rejected"),
    "withdraw": pgettext_lazy("audit action", "withdrawn"),
    "submit": pgettext_lazy("audit action", "submitted"),
    "publish": pgettext_lazy("audit action", "published"),
    "cancel": pgettext_lazy("audit action", "cancelled"),
    "retire": pgettext_lazy("audit action", "retired"),
    "resolve": pgettext_lazy("audit action", "resolved"),
    "return": pgettext_lazy("audit action", "returned for completion"),
    "reopen": pgettext_lazy("audit action", "reopened"),
    "import": pgettext_lazy("audit action", "imported"),
    "save": pgettext_lazy("audit action", "saved"),
    "complete": pgettext_lazy("audit action", "completed"),
    "verify": pgettext_lazy("audit action", "verified"),
    "finalize": pgettext_lazy("audit action", "finalised"),
    "recompute": pgettext_lazy("audit action", "recomputed"),
    "preview": pgettext_lazy("audit action", "previewed"),
    "commit": pgettext_lazy("audit action", "committed"),
    "deactivate": pgettext_lazy("audit action", "deactivated"),
    "unlock": pgettext_lazy("audit action", "unlocked"),
    "locked_out": pgettext_lazy("audit action", "locked out"),
    "login_failed": pgettext_lazy("audit action", "sign-in failed"),
    "password_reset": pgettext_lazy("audit action", "password reset"),
    "password_changed": pgettext_lazy("audit action", "password changed"),
    "password_change_required": pgettext_lazy("audit action", "password change required"),
    "two_factor_enabled": pgettext_lazy("audit action", "two-step sign-in turned on"),
    "two_factor_disabled": pgettext_lazy("audit action", "two-step sign-in turned off"),
    "workday_override_changed": pgettext_lazy("audit action", "working day changed"),
    "workday_override_removed": pgettext_lazy("audit action", "working day change removed"),
}
_STATES: dict[str, Label] = {}
_actor_names: list[Callable[[list[int]], Mapping[int, str]]] = []


def register_actions(mapping: Mapping[str, Label]) -> None:
    """Add an app's audit verbs (code → translated label)."""
    ACTIONS.update(mapping)


def register_states(mapping: Mapping[str, Label] | Iterable[tuple[str, Label]]) -> None:
    """Add state labels not declared as choices on the audited model."""
    _STATES.update(dict(mapping))


def register_actor_names(lookup: Callable[[list[int]], Mapping[int, str]]) -> None:
    """``lookup(user_ids) -> {user id: person's name}``, one query for a whole list."""
    _actor_names.append(lookup)


def state_label(code: str, model: Any = None) -> str:
    """The translated label of a state code, from ``model``'s choices first."""
    if not code:
        return ""
    if model is not None:
        for field in model._meta.get_fields():
            choices = getattr(field, "flatchoices", None)
            if choices:
                found = dict(choices).get(code)
                if found is not None:
                    return str(found)
    if code in _STATES:
        return str(_STATES[code])
    return str(ACTIONS.get(code, code))


def action_label(code: str, model: Any = None) -> str:
    """The translated label of an audit action code."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    prefix, sep, detail = code.partition(":")
    if not sep:
        prefix, sep, detail = code.rpartition(".")
    if sep and prefix in ACTIONS:
        return f"{ACTIONS[prefix]}：{action_label(detail, model)}"
    if code in _STATES or model is not None:
        return state_label(code, model)
    return code


@dataclass(frozen=True)
class AuditRow:
    at: Any
    actor: str
    action: str
    from_state: str
    to_state: str
    reason: str
    object_repr: str
    event: Any


def actor_names(user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted({i for i in user_ids if i is not None})
    names: dict[int, str] = {}
    if ids:
        for lookup in _actor_names:
            names.update(lookup(ids))
    return names


def _account_names(ids: set[int]) -> dict[int, str]:
    """The accounts' full names (accounts without a staff record, such as the office's), in one
    query; an account without a name is left out (its recorded username is shown)."""
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids).only("pk", "first_name", "last_name")
    return {u.pk: u.get_full_name() for u in users if u.get_full_name()}


def audit_rows(events: Iterable[Any]) -> list[AuditRow]:
    """Audit events as the reader sees them: translated verbs and states, people by name."""
    events = list(events)
    names = actor_names(e.actor_id for e in events)
    # accounts without a staff record: their full name (already loaded with the events, or one
    # query for the rest)
    missing = {e.actor_id for e in events} - set(names) - {None}
    for e in events:
        if e.actor_id in missing and type(e).actor.is_cached(e):
            names[e.actor_id] = e.actor.get_full_name()
    names.update(_account_names(missing - set(names)))
    names = {k: v for k, v in names.items() if v}
    rows = []
    for e in events:
        model = e.content_type.model_class() if getattr(e, "content_type_id", None) else None
        if e.actor_id is None:
            actor = str(_("System")) if e.actor_name in ("", "system") else e.actor_name
        else:
            actor = names.get(e.actor_id) or e.actor_name
        rows.append(
            AuditRow(
                at=e.at,
                actor=actor,
                action=action_label(e.action, model),
                from_state=state_label(e.from_state, model),
                to_state=state_label(e.to_state, model),
                reason=e.reason,
                object_repr=e.object_repr,
                event=e,
            )
        )
    return rows


def name_people(users: Iterable[Any]) -> None:
    """Look up the names of ``users`` in one query and keep them on the objects."""
    users = [u for u in users if u is not None and not hasattr(u, "_person_name")]
    names = actor_names(u.pk for u in users)
    for user in users:
        user._person_name = names.get(user.pk) or user.get_full_name() or user.get_username()


def person_name(user: Any) -> str:
    """A person by name, never by username: the staff record's name, else the account's full
    name (accounts without a staff record, such as the office's), else the username."""
    if user is None:
        return ""
    if not hasattr(user, "_person_name"):
        name_people([user])
    return str(user._person_name)
