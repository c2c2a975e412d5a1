"""Writes on competency models (DOMAIN.md, "Competency model"): versions, competencies with
their level descriptions, and requirement profiles.

A version moves draft → published → retired. Only a draft can be edited; a published version is
immutable and is changed by :func:`model_new_draft`, which copies it. Publishing a version
retires the track's previously published one, so a track has at most one published version.
Every change locks the version row, applies the change and writes one audit record.

Assessment services live in :mod:`competency.assessments`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core import audit, clock, roles
from core.errors import DomainError, ErrorCode, InvalidTransition
from org.models import Level, Track

from .models import Competency, CompetencyModel, ProficiencyLevel, Requirement

Status = CompetencyModel.Status


def _require_office(actor) -> None:
    roles.require_office(actor, _("Only the certification office may change competency models."))


def _lock(model: CompetencyModel) -> CompetencyModel:
    return CompetencyModel.objects.select_for_update().get(pk=model.pk)


def _require_draft(model: CompetencyModel) -> None:
    if model.status != Status.DRAFT:
        raise InvalidTransition(
            _("Version %(version)s is %(status)s and cannot be edited; create a new draft.")
            % {"version": model.version, "status": model.get_status_display()}
        )


# --- versions ---------------------------------------------------------------------------------


@transaction.atomic
def model_create(
    *,
    actor,
    track: Track,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    scale_max: int = 5,
) -> CompetencyModel:
    """A new draft version of ``track``'s model, numbered after the highest existing version."""
    _require_office(actor)
    Track.objects.select_for_update().get(pk=track.pk)
    top = CompetencyModel.objects.filter(track=track).aggregate(v=Max("version"))["v"] or 0
    model = CompetencyModel(
        track=track,
        version=top + 1,
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        scale_max=scale_max,
    )
    model.full_clean()
    model.save()
    audit.record(actor=actor, obj=model, action="create", to_state=model.status)
    return model


@transaction.atomic
def model_update(*, actor, model: CompetencyModel, **fields) -> CompetencyModel:
    """Edit a draft's name, description or scale."""
    _require_office(actor)
    model = _lock(model)
    _require_draft(model)
    before = audit.snapshot(model)
    allowed = {"name", "name_en", "description", "description_en", "scale_max"}
    for name, value in fields.items():
        if name in allowed:
            setattr(model, name, value)
    if "scale_max" in fields:
        too_high = Requirement.objects.filter(model=model, required_level__gt=model.scale_max)
        if too_high.exists():
            raise DomainError(_("Some requirements are above the new highest level."))
        ProficiencyLevel.objects.filter(competency__model=model, level__gt=model.scale_max).delete()
    model.full_clean()
    model.save()
    audit.record(
        actor=actor, obj=model, action="update", changes=audit.diff(before, audit.snapshot(model))
    )
    return model


def publish_problems(model: CompetencyModel) -> list[str]:
    """Why ``model`` cannot be published yet (empty when it can)."""
    problems = []
    competencies = list(model.competencies.prefetch_related("levels"))
    if not competencies:
        problems.append(_("The model has no competencies."))
    scale = set(model.scale)
    for competency in competencies:
        described = {pl.level for pl in competency.levels.all() if pl.description.strip()}
        missing = sorted(scale - described)
        if missing:
            problems.append(
                _("%(competency)s has no description for level(s) %(levels)s.")
                % {"competency": competency, "levels": ", ".join(map(str, missing))}
            )
    return problems


@transaction.atomic
def model_publish(*, actor, model: CompetencyModel, reason: str = "") -> CompetencyModel:
    """draft → published. Every competency must describe every proficiency level. The track's
    previously published version is retired in the same transaction."""
    _require_office(actor)
    model = _lock(model)
    if model.status != Status.DRAFT:
        raise InvalidTransition(_("Only a draft can be published."))
    problems = publish_problems(model)
    if problems:
        raise InvalidTransition(" ".join(problems), code=ErrorCode.MODEL_INCOMPLETE)
    now = clock.now()
    previous = (
        CompetencyModel.objects.select_for_update()
        .filter(track_id=model.track_id, status=Status.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.status = Status.RETIRED
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
        audit.record(
            actor=actor,
            obj=previous,
            action="retire",
            from_state=Status.PUBLISHED,
            to_state=Status.RETIRED,
            reason=_("Superseded by version %(version)s") % {"version": model.version},
        )
    model.status = Status.PUBLISHED
    model.published_at = now
    model.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        obj=model,
        action="publish",
        from_state=Status.DRAFT,
        to_state=Status.PUBLISHED,
        reason=reason,
    )
    return model


@transaction.atomic
def model_retire(*, actor, model: CompetencyModel, reason: str = "") -> CompetencyModel:
    """published → retired. Assessments keep pointing at the version they used."""
    _require_office(actor)
    model = _lock(model)
    if model.status != Status.PUBLISHED:
        raise InvalidTransition(_("Only a published version can be retired."))
    model.status = Status.RETIRED
    model.retired_at = clock.now()
    model.save(update_fields=["status", "retired_at"])
    audit.record(
        actor=actor,
        obj=model,
        action="retire",
        from_state=Status.PUBLISHED,
        to_state=Status.RETIRED,
        reason=reason,
    )
    return model


@transaction.atomic
def model_new_draft(*, actor, source: CompetencyModel, reason: str = "") -> CompetencyModel:
    """A new draft copied from a published (or retired) version: competencies, level
    descriptions and requirement profiles. A track has at most one draft at a time."""
    _require_office(actor)
    source = _lock(source)
    if source.status == Status.DRAFT:
        raise InvalidTransition(_("A draft is edited directly; copy a published version."))
    Track.objects.select_for_update().get(pk=source.track_id)
    if CompetencyModel.objects.filter(track_id=source.track_id, status=Status.DRAFT).exists():
        raise InvalidTransition(
            _("The track already has a draft version."), code=ErrorCode.DRAFT_EXISTS
        )
    top = CompetencyModel.objects.filter(track_id=source.track_id).aggregate(v=Max("version"))["v"]
    draft = CompetencyModel.objects.create(
        track_id=source.track_id,
        version=top + 1,
        name=source.name,
        name_en=source.name_en,
        description=source.description,
        description_en=source.description_en,
        scale_max=source.scale_max,
        based_on=source,
    )
    old = list(source.competencies.order_by("pk"))
    new = Competency.objects.bulk_create(
        [
            Competency(
                model=draft,
                code=c.code,
                name=c.name,
                name_en=c.name_en,
                description=c.description,
                description_en=c.description_en,
                category=c.category,
                kind=c.kind,
                order=c.order,
            )
            for c in old
        ]
    )
    if any(c.pk is None for c in new):  # backends without RETURNING ids
        new = list(draft.competencies.order_by("pk"))
    mapping = {o.pk: n.pk for o, n in zip(old, new, strict=True)}
    ProficiencyLevel.objects.bulk_create(
        [
            ProficiencyLevel(
                competency_id=mapping[pl.competency_id],
                level=pl.level,
                description=pl.description,
                description_en=pl.description_en,
            )
            for pl in ProficiencyLevel.objects.filter(competency__model=source)
        ]
    )
    Requirement.objects.bulk_create(
        [
            Requirement(
                model=draft,
                level_id=r.level_id,
                competency_id=mapping[r.competency_id],
                required_level=r.required_level,
                weight=r.weight,
            )
            for r in Requirement.objects.filter(model=source)
        ]
    )
    audit.record(
        actor=actor,
        obj=draft,
        action="create",
        to_state=Status.DRAFT,
        reason=reason or _("Copied from version %(version)s") % {"version": source.version},
        changes={"based_on": source.pk},
    )
    return draft


# --- competencies -----------------------------------------------------------------------------


def _save_levels(competency: Competency, levels: Iterable[Mapping]) -> None:
    scale_max = competency.model.scale_max
    rows = {}
    for entry in levels:
        level = int(entry["level"])
        if not 1 <= level <= scale_max:
            raise DomainError(
                _("Proficiency levels run from 1 to %(max)s.") % {"max": scale_max},
                code=ErrorCode.INVALID_LEVEL,
            )
        rows[level] = entry
    ProficiencyLevel.objects.filter(competency=competency).delete()
    ProficiencyLevel.objects.bulk_create(
        [
            ProficiencyLevel(
                competency=competency,
                level=level,
                description=entry.get("description", ""),
                description_en=entry.get("description_en", ""),
            )
            for level, entry in sorted(rows.items())
        ]
    )


_COMPETENCY_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "description_en",
    "category",
    "kind",
    "order",
)


@transaction.atomic
def competency_create(
    *, actor, model: CompetencyModel, levels: Iterable[Mapping] = (), **fields
) -> Competency:
    """Add a competency (and its level descriptions) to a draft."""
    _require_office(actor)
    model = _lock(model)
    _require_draft(model)
    competency = Competency(
        model=model, **{k: v for k, v in fields.items() if k in _COMPETENCY_FIELDS}
    )
    competency.full_clean()
    competency.save()
    _save_levels(competency, levels)
    audit.record(actor=actor, obj=competency, action="create", changes=audit.snapshot(competency))
    return competency


@transaction.atomic
def competency_update(
    *, actor, competency: Competency, levels: Iterable[Mapping] | None = None, **fields
) -> Competency:
    _require_office(actor)
    model = _lock(competency.model)
    _require_draft(model)
    competency = Competency.objects.select_for_update().get(pk=competency.pk)
    before = audit.snapshot(competency)
    for name, value in fields.items():
        if name in _COMPETENCY_FIELDS:
            setattr(competency, name, value)
    competency.full_clean()
    competency.save()
    if levels is not None:
        _save_levels(competency, levels)
    audit.record(
        actor=actor,
        obj=competency,
        action="update",
        changes=audit.diff(before, audit.snapshot(competency)),
    )
    return competency


@transaction.atomic
def competency_delete(*, actor, competency: Competency) -> None:
    _require_office(actor)
    model = _lock(competency.model)
    _require_draft(model)
    audit.record(actor=actor, obj=competency, action="delete", changes=audit.snapshot(competency))
    competency.delete()


# --- requirement profiles ---------------------------------------------------------------------


def _check_requirement(
    model: CompetencyModel, level: Level, competency: Competency, required_level, weight
):
    if level.track_id != model.track_id:
        raise DomainError(_("The level belongs to another track."), code=ErrorCode.INVALID_LEVEL)
    if competency.model_id != model.pk:
        raise DomainError(
            _("The competency belongs to another model."), code=ErrorCode.INVALID_COMPETENCY
        )
    if not 1 <= int(required_level) <= model.scale_max:
        raise DomainError(
            _("The required level must be between 1 and %(max)s.") % {"max": model.scale_max},
            code=ErrorCode.INVALID_LEVEL,
        )
    if Decimal(weight) <= 0:
        raise DomainError(_("The weight must be positive."), code=ErrorCode.INVALID_WEIGHT)


@transaction.atomic
def requirement_set(
    *,
    actor,
    model: CompetencyModel,
    level: Level,
    competency: Competency,
    required_level: int,
    weight: Decimal = Decimal("1"),
) -> Requirement:
    """Create or change one cell of a draft's requirement profile."""
    _require_office(actor)
    model = _lock(model)
    _require_draft(model)
    _check_requirement(model, level, competency, required_level, weight)
    requirement, created = Requirement.objects.select_for_update().get_or_create(
        level=level,
        competency=competency,
        defaults={"model": model, "required_level": required_level, "weight": weight},
    )
    before = audit.snapshot(requirement, ["required_level", "weight"])
    if not created:
        requirement.required_level = required_level
        requirement.weight = weight
        requirement.save(update_fields=["required_level", "weight"])
    audit.record(
        actor=actor,
        obj=requirement,
        action="create" if created else "update",
        changes=audit.diff(
            {} if created else before, audit.snapshot(requirement, ["required_level", "weight"])
        ),
    )
    return requirement


@transaction.atomic
def requirement_delete(*, actor, requirement: Requirement) -> None:
    _require_office(actor)
    model = _lock(requirement.model)
    _require_draft(model)
    audit.record(actor=actor, obj=requirement, action="delete", changes=audit.snapshot(requirement))
    requirement.delete()


@transaction.atomic
def requirements_save_grid(
    *,
    actor,
    model: CompetencyModel,
    cells: Mapping[tuple[int, int], tuple[int, Decimal] | None],
) -> dict[str, int]:
    """Save the whole levels × competencies grid of a draft at once.

    ``cells`` maps ``(level_id, competency_id)`` to ``(required_level, weight)`` or ``None``
    (not required). One transaction, one audit record listing every changed cell.
    """
    _require_office(actor)
    model = _lock(model)
    _require_draft(model)
    levels = {lv.pk: lv for lv in Level.objects.filter(track_id=model.track_id)}
    competencies = {c.pk: c for c in model.competencies.all()}
    existing = {(r.level_id, r.competency_id): r for r in model.requirements.all()}
    to_create, to_update, to_delete, changes = [], [], [], {}
    for (level_id, competency_id), value in cells.items():
        level, competency = levels.get(level_id), competencies.get(competency_id)
        if level is None or competency is None:
            raise DomainError(_("The grid refers to an unknown level or competency."))
        key = f"{level.code}/{competency.code}"
        current = existing.get((level_id, competency_id))
        if value is None:
            if current is not None:
                to_delete.append(current.pk)
                changes[key] = [[current.required_level, str(current.weight)], None]
            continue
        required_level, weight = int(value[0]), Decimal(value[1])
        _check_requirement(model, level, competency, required_level, weight)
        if current is None:
            to_create.append(
                Requirement(
                    model=model,
                    level=level,
                    competency=competency,
                    required_level=required_level,
                    weight=weight,
                )
            )
            changes[key] = [None, [required_level, str(weight)]]
        elif current.required_level != required_level or current.weight != weight:
            changes[key] = [
                [current.required_level, str(current.weight)],
                [required_level, str(weight)],
            ]
            current.required_level, current.weight = required_level, weight
            to_update.append(current)
    Requirement.objects.filter(pk__in=to_delete).delete()
    Requirement.objects.bulk_create(to_create)
    Requirement.objects.bulk_update(to_update, ["required_level", "weight"])
    if changes:
        audit.record(actor=actor, obj=model, action="requirements", changes=changes)
    return {"created": len(to_create), "updated": len(to_update), "deleted": len(to_delete)}
