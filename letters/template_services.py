"""HR-editable letter templates: drafts, publishing, versions and the preview on sample data.

Rules (docs/letters.md, "Letter templates"):

- one draft and at most one published version per kind and language; versions count 1, 2, 3 …
  per kind and language;
- publishing checks the wording again, supersedes the version published before and makes this
  one immutable; new letters use it, letters already issued keep their stored PDF;
- only the certification office (HR) and administrators write; every creation, edit and
  publication is audited (``letter_template:create`` / ``update`` / ``publish``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, NotInScope
from core.roles import is_office, require_office

from . import rendering, wording
from .builtin_wording import builtin_parts
from .models import Letter, LetterTemplate
from .services import Meeting, decision_line, format_number, number_prefix

_STATE = LetterTemplate.State


def _check_kind_language(kind: str, language: str) -> None:
    if kind not in Letter.Kind.values or language not in Letter.Language.values:
        raise NotInScope()


def _require(actor) -> None:
    require_office(actor, _("Only the certification office may edit letter templates."))


def _validated(kind: str, parts: Mapping[str, str]) -> dict[str, str]:
    cleaned = {part: (parts.get(part) or "").strip() for part in LetterTemplate.PARTS}
    errors = wording.check(kind, cleaned)
    if errors:
        raise DomainError(
            _("The template wording is not valid."),
            code=ErrorCode.INVALID,
            details={"errors": errors},
        )
    return cleaned


def published_is_immutable() -> str:
    return _("A published version cannot be changed; save a new draft instead.")


# --- reads -----------------------------------------------------------------------------------


@dataclass
class TemplateRow:
    kind: str
    kind_label: str
    language: str
    language_label: str
    published: LetterTemplate | None
    draft: LetterTemplate | None


def template_overview(*, user) -> list[TemplateRow]:
    """Every kind × language with its published version and its draft — one query."""
    if not is_office(user):
        raise NotInScope()
    current = {}
    for template in LetterTemplate.objects.exclude(state=_STATE.SUPERSEDED).order_by("pk"):
        current[(template.kind, template.language, template.state)] = template
    return [
        TemplateRow(
            kind=kind,
            kind_label=str(kind_label),
            language=language,
            language_label=str(language_label),
            published=current.get((kind, language, _STATE.PUBLISHED)),
            draft=current.get((kind, language, _STATE.DRAFT)),
        )
        for kind, kind_label in Letter.Kind.choices
        for language, language_label in Letter.Language.choices
    ]


def template_list(*, user):
    """Every version (the API's list), for the office only."""
    if not is_office(user):
        return LetterTemplate.objects.none()
    return LetterTemplate.objects.select_related("created_by", "published_by")


def template_history(*, user, kind: str, language: str):
    """The versions of one kind and language, newest first, with how many letters each wrote."""
    _check_kind_language(kind, language)
    return template_list(user=user).filter(kind=kind, language=language).order_by("-version")


def template_get(*, user, pk: int) -> LetterTemplate:
    found = template_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotInScope()
    return found


def draft_of(*, kind: str, language: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(kind=kind, language=language, state=_STATE.DRAFT).first()


def starting_parts(*, kind: str, language: str) -> dict[str, str]:
    """What a new draft starts from: the published version's wording, else the built-in."""
    published = LetterTemplate.objects.filter(
        kind=kind, language=language, state=_STATE.PUBLISHED
    ).first()
    return published.parts if published else builtin_parts(kind, language)


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def template_draft_save(
    *, actor, kind: str, language: str, parts: Mapping[str, str]
) -> LetterTemplate:
    """Create the draft of ``kind`` in ``language`` (the next version number), or change the
    existing draft. Refuses (400 ``invalid``, ``errors`` per part) wording with an unknown
    field or any template syntax other than ``{{ field }}``."""
    _require(actor)
    _check_kind_language(kind, language)
    cleaned = _validated(kind, parts)
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Lock the kind's versions so two editors do not both create version N.
    list(
        LetterTemplate.objects.select_for_update()
        .filter(kind=kind, language=language)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    draft = draft_of(kind=kind, language=language)
    if draft is None:
        last = LetterTemplate.objects.filter(kind=kind, language=language).aggregate(
            n=Max("version")
        )["n"]
        try:
            # The very first version has no row to lock: two editors may both get here. The
            # database's constraints let one win; the other is told, not shown a server error.
            with transaction.atomic():
                draft = LetterTemplate.objects.create(
                    kind=kind,
                    language=language,
                    version=(last or 0) + 1,
                    created_by=user,
                    **cleaned,
                )
        except IntegrityError as exc:
            raise InvalidTransition(
                _(
                    "Someone else created the draft of this letter at the same moment. Open "
                    "the draft again and make your changes there."
                ),
                code=ErrorCode.DRAFT_EXISTS,
            ) from exc
        action = "letter_template:create"
        changes: dict[str, object] = {"version": draft.version}
    else:
        before = draft.parts
        for part, text in cleaned.items():
            setattr(draft, part, text)
        draft.save()
        action = "letter_template:update"
        changes = dict(audit.diff(before, draft.parts))
    audit.record(actor=actor, obj=draft, action=action, to_state=_STATE.DRAFT, changes=changes)
    return draft


@transaction.atomic
def template_publish(*, actor, template: LetterTemplate) -> LetterTemplate:
    """Publish a draft: new letters of its kind and language use it from now on; the version
    published before is superseded; letters already issued do not change. 409 unless draft."""
    _require(actor)
    versions = list(
        LetterTemplate.objects.select_for_update()
        .filter(kind=template.kind, language=template.language)
        .order_by("pk")
    )
    template = next(v for v in versions if v.pk == template.pk)
    if template.state != _STATE.DRAFT:
        raise InvalidTransition(_("Only a draft can be published."))
    _validated(template.kind, template.parts)
    now = clock.now()
    previous = [v for v in versions if v.state == _STATE.PUBLISHED]
    LetterTemplate.objects.filter(pk__in=[v.pk for v in previous]).update(
        state=_STATE.SUPERSEDED, superseded_at=now
    )
    for old in previous:
        audit.record(
            actor=actor,
            obj=old,
            action="letter_template:supersede",
            from_state=_STATE.PUBLISHED,
            to_state=_STATE.SUPERSEDED,
            changes={"by_version": template.version},
        )
    user = actor if getattr(actor, "is_authenticated", False) else None
    LetterTemplate.objects.filter(pk=template.pk).update(
        state=_STATE.PUBLISHED, published_at=now, published_by=user
    )
    template.refresh_from_db()
    audit.record(
        actor=actor,
        obj=template,
        action="letter_template:publish",
        from_state=_STATE.DRAFT,
        to_state=_STATE.PUBLISHED,
        changes={"version": template.version},
    )
    return template


# --- the preview -----------------------------------------------------------------------------


def sample_facts(kind: str, language: str) -> dict:
    """Facts of a made-up letter of ``kind`` (every field of the kind filled in), dated from
    today, for the preview."""
    today = clock.today()
    zh = language == "zh-hans"
    start = today.replace(day=1)
    end = start.replace(year=start.year + 3)
    with translation.override(language):
        facts = {
            "company": settings.COMPANY_NAME if zh else settings.COMPANY_NAME_EN,
            "staff_name": "张伟",
            "employee_no": "K10001",
            "unit": "广州分公司 / 大客户部" if zh else "Guangzhou Branch / Key Accounts",
            "level_code": "L3",
            "level_name": "高级客户经理" if zh else "Senior Account Manager",
            "term_start": start.isoformat(),
            "term_end": end.isoformat(),
            "decision_line": decision_line(kind, language, Meeting(today.year, 3)),
            "cc": settings.LETTER_CC.get(language, ""),
            "signatory_title": "人力资源部总经理" if zh else "General Manager, Human Resources",
            "signatory_name": "",
        }
        if kind in wording.KINDS_WITH_BENEFITS:
            facts |= {
                "honorary_title": "高级大客户经理" if zh else "Senior Key Account Manager",
                "allowance": "2500.00",
                "training_package": "6000.00",
                "office": "独立办公室" if zh else "Own office",
            }
        if kind == "renewal":
            facts |= {
                "previous_term_start": start.replace(year=start.year - 3).isoformat(),
                "previous_term_end": start.isoformat(),
            }
        if kind in wording.KINDS_WITH_GROUNDS:
            facts |= {
                "ranking_year": str(today.year - 1),
                "cohort": "L3 · 广州分公司" if zh else "L3 · Guangzhou Branch",
                "cohort_size": "40",
                "rank": "39",
                "band_size": "4",
                "ranking_score": "61.25",
                "recert_score": "58.50" if kind != "kept" else "76.00",
                "pass_line": "70.00",
                "elimination_line": "55.00",
                "ground": _("below the pass line") if kind != "kept" else "",
            }
        if kind in wording.KINDS_WITH_APPEAL:
            adverse = kind != "kept"
            facts |= {
                "old_level_code": "L3",
                "old_level_name": facts["level_name"],
                "new_level_code": "L2" if kind in ("demotion", "recertification") else "",
                "new_level_name": ("客户经理" if zh else "Account Manager")
                if kind in ("demotion", "recertification")
                else "",
                "approved_on": today.isoformat(),
                "appeal_until": (today + dt.timedelta(days=14)).isoformat() if adverse else "",
                "effective_on": (today + dt.timedelta(days=15)).isoformat(),
                "appeal_route": settings.LETTER_APPEAL_ROUTE.get(language, ""),
            }
        if kind == "recertification":
            facts["outcome"] = _("not passed, demoted one level")
    return facts


def sample_letter(kind: str, language: str) -> Letter:
    """An unsaved letter with sample facts, numbered in the kind's series (number 1)."""
    today = clock.today()
    return Letter(
        number=format_number(number_prefix(kind), today.year, 1),
        kind=kind,
        language=language,
        verification_code="SAMPLE0PREVIEW00",
        facts=sample_facts(kind, language),
        issue_date=today,
    )


def template_preview_pdf(*, actor, kind: str, language: str, parts: Mapping[str, str]) -> bytes:
    """The PDF of a made-up letter written with ``parts`` (the draft being edited): rendered
    exactly as an issued letter would be, through the same safe fetcher; nothing is stored.
    Invalid wording is refused like a save (400 with the errors per part)."""
    _require(actor)
    _check_kind_language(kind, language)
    cleaned = _validated(kind, parts)
    template = LetterTemplate(kind=kind, language=language, version=0, **cleaned)
    return rendering.render_letter_pdf(sample_letter(kind, language), template=template)
