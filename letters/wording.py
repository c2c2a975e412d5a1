"""The wording of HR-editable letter templates: fields, validation and rendering (pure rules).

A template (:class:`letters.models.LetterTemplate`) holds the **wording** of one kind of letter
in one language — title, salutation, body paragraphs, closing paragraphs and the 抄送 line. The
**layout** stays fixed in code (``letters/pdf/base.html``): the company header and number, the
benefits table of the kinds that carry benefits, the verification block (QR code), the
signatory, the stamp space or e-seal, the issue date and the page margins.

The wording may name fields with a **restricted placeholder syntax** — ``{{ staff_name }}`` and
nothing else: no template tags (``{% … %}``), comments (``{# … #}``), filters (``|``) or
attribute access (``.``). Each kind has its own set of fields (:data:`FIELDS_BY_KIND`): an
adverse notice (demotion, elimination) has no benefit fields at all, so a template cannot print
a benefit on one. Values are HTML-escaped when the letter is rendered.

Text is split into paragraphs at line breaks; **a paragraph that names a field without a value
for the letter is left out** (a letter without ranking grounds prints no ranking paragraph, a
level without an honorary title no title paragraph). That is the only conditional.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.numbers import format_figure
from core.terms import last_day

from .templatetags.letter_tags import letter_date, money

# The editable parts of a template, in the order they appear in the letter.
PARTS = ("title", "salutation", "body", "closing", "cc")
SINGLE_LINE_PARTS = frozenset({"title", "salutation", "cc"})

KINDS_WITH_BENEFITS = frozenset({"appointment", "promotion", "renewal", "kept"})
KINDS_WITH_GROUNDS = frozenset({"kept", "demotion", "elimination", "recertification"})
KINDS_WITH_APPEAL = frozenset({"demotion", "elimination", "recertification"})

COMMON_FIELDS = {
    "staff_name": _("the staff member's name"),
    "employee_no": _("employee number"),
    "unit": _("unit (full path)"),
    "company": _("company name"),
    "number": _("letter number"),
    "issue_date": _("issue date"),
    "decision_line": _("reference to the decision (from the settings)"),
    "signatory_title": _("signatory's title"),
    "signatory_name": _("signatory's name"),
    "cc": _("copy-to recipients (from the settings)"),
}
LEVEL_FIELDS = {
    "level_name": _("level"),
    "level_code": _("level code"),
    "term_start": _("first day of the term"),
    "term_last_day": _("last day of the term"),
}
BENEFIT_FIELDS = {
    "honorary_title": _("honorary title"),
    "allowance": _("monthly level allowance (yuan)"),
    "training_package": _("training package (yuan)"),
    "office": _("office"),
}
RENEWAL_FIELDS = {
    "previous_term_start": _("first day of the previous term"),
    "previous_term_last_day": _("last day of the previous term"),
}
GROUND_FIELDS = {
    "ranking_year": _("ranking year"),
    "cohort": _("ranking cohort"),
    "cohort_size": _("size of the cohort"),
    "rank": _("rank in the cohort"),
    "band_size": _("size of the bottom band"),
    "ranking_score": _("composite ranking score"),
    "recert_score": _("re-certification score"),
    "pass_line": _("pass line"),
    "elimination_line": _("elimination line"),
    "ground": _("ground of the decision"),
}
CHANGE_FIELDS = {
    "old_level_name": _("level before the decision"),
    "old_level_code": _("code of the level before the decision"),
    "new_level_name": _("level after the decision"),
    "new_level_code": _("code of the level after the decision"),
    "effective_on": _("effective date"),
    "appeal_until": _("appeal deadline (last day)"),
    "appeal_route": _("appeal route (from the settings)"),
}


def _fields_of(kind: str) -> dict:
    fields = dict(COMMON_FIELDS)
    if kind in KINDS_WITH_BENEFITS:
        fields |= LEVEL_FIELDS | BENEFIT_FIELDS
    if kind == "renewal":
        fields |= RENEWAL_FIELDS
    if kind in KINDS_WITH_GROUNDS:
        fields |= GROUND_FIELDS
    if kind in KINDS_WITH_APPEAL:
        fields |= CHANGE_FIELDS
    if kind == "elimination":
        fields.pop("new_level_name")
        fields.pop("new_level_code")
    if kind == "recertification":
        fields["outcome"] = _("result of the re-certification")
    return fields


KINDS = (
    "appointment",
    "promotion",
    "renewal",
    "kept",
    "demotion",
    "elimination",
    "recertification",
)
FIELDS_BY_KIND: dict[str, dict] = {kind: _fields_of(kind) for kind in KINDS}

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_FIELD_NAME = re.compile(r"\s*([a-z][a-z0-9_]*)\s*")
_TAG_MARKS = ("{%", "%}", "{#", "#}")


def check_part(kind: str, part: str, text: str) -> list[str]:
    """The errors of one part of a template of ``kind`` (empty: valid)."""
    errors: list[str] = []
    allowed = FIELDS_BY_KIND[kind]
    if any(mark in text for mark in _TAG_MARKS):
        errors.append(
            str(
                _(
                    "Template tags and comments ({% … %}, {# … #}) are not allowed; "
                    "use only {{ field }} placeholders."
                )
            )
        )
    if part in SINGLE_LINE_PARTS and "\n" in text.strip():
        errors.append(str(_("This part is a single line.")))
    for match in _PLACEHOLDER.finditer(text):
        inner = match.group(1)
        name = _FIELD_NAME.fullmatch(inner)
        if name is None:
            errors.append(
                str(
                    _(
                        "“%(placeholder)s” is not a plain field: filters (|), attributes (.) "
                        "and expressions are not allowed; write {{ field }}."
                    )
                )
                % {"placeholder": match.group(0)}
            )
        elif name.group(1) not in allowed:
            errors.append(
                str(_("Unknown field “%(field)s” for this kind of letter. Fields: %(fields)s."))
                % {"field": name.group(1), "fields": ", ".join(sorted(allowed))}
            )
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        errors.append(str(_("A placeholder is not closed: write {{ field }}.")))
    return errors


def check(kind: str, parts: Mapping[str, str]) -> dict[str, list[str]]:
    """``{part: [errors]}`` for every part of ``parts`` with an error; the title is required."""
    errors = {}
    for part in PARTS:
        found = check_part(kind, part, parts.get(part, "") or "")
        if found:
            errors[part] = found
    if not (parts.get("title") or "").strip():
        errors.setdefault("title", []).append(str(_("A letter needs a title.")))
    return errors


def fields_named(text: str) -> list[str]:
    return [m.group(1).strip() for m in _PLACEHOLDER.finditer(text)]


def _fill(text: str, values: Mapping[str, str]) -> str | None:
    """``text`` with its placeholders replaced by escaped values; ``None`` when a named field
    has no value (the paragraph is left out)."""
    out = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        value = values.get(match.group(1).strip(), "")
        if not value:
            return None
        out.append(escape(text[position : match.start()]))
        out.append(escape(value))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def paragraphs(text: str, values: Mapping[str, str]) -> list[SafeString]:
    """The paragraphs of ``text`` (one a line) with their fields filled in and escaped, those
    naming an empty field left out."""
    result = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        filled = _fill(line.strip(), values)
        if filled is not None:
            result.append(mark_safe(filled))  # noqa: S308 - text and values escaped in _fill
    return result


def line(text: str, values: Mapping[str, str]) -> SafeString:
    found = paragraphs(text, values)
    return found[0] if found else mark_safe("")


SCORE_FIELDS = ("ranking_score", "recert_score", "pass_line", "elimination_line")


def _date(value) -> str:
    return letter_date(value) if value else ""


def _amount(value) -> str:
    if value in (None, "", "0", "0.00"):
        return ""
    return money(value)


def field_values(*, facts: Mapping, number: str, issue_date) -> dict[str, str]:
    """Every field's text for a letter, from its frozen facts — in the active language (dates
    as the letter prints them: ``2027年2月28日`` / ``28 February 2027``)."""
    f = {k: ("" if v is None else str(v)) for k, v in facts.items()}
    values = {key: f.get(key, "") for key in (*COMMON_FIELDS, *GROUND_FIELDS, *CHANGE_FIELDS)}
    values |= {
        "number": number,
        "issue_date": _date(issue_date),
        "level_name": f.get("level_name", ""),
        "level_code": f.get("level_code", ""),
        "term_start": _date(f.get("term_start")),
        "term_last_day": _date(last_day(f.get("term_end") or None)),
        "honorary_title": f.get("honorary_title", ""),
        "allowance": _amount(f.get("allowance")),
        "training_package": _amount(f.get("training_package")),
        "office": f.get("office", ""),
        "previous_term_start": _date(f.get("previous_term_start")),
        "previous_term_last_day": _date(last_day(f.get("previous_term_end") or None)),
        "effective_on": _date(f.get("effective_on")),
        "appeal_until": _date(f.get("appeal_until")),
        "outcome": f.get("outcome", ""),
    }
    for key in SCORE_FIELDS:
        if f.get(key):
            values[key] = format_figure(f[key], "score")  # 61.5 → 61.50, as the code templates
    return values


def render_parts(parts: Mapping[str, str], values: Mapping[str, str]) -> dict:
    """The template's parts as the letter layout takes them (escaped HTML)."""
    return {
        "title": line(parts.get("title", ""), values),
        "salutation": line(parts.get("salutation", ""), values),
        "body": paragraphs(parts.get("body", ""), values),
        "closing": paragraphs(parts.get("closing", ""), values),
        "cc": line(parts.get("cc", ""), values),
    }


def field_table(kind: str) -> Iterable[tuple[str, str]]:
    """``(name, description)`` of the fields of ``kind``, for the editing page."""
    return [(name, str(label)) for name, label in FIELDS_BY_KIND[kind].items()]
