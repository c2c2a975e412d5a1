"""Panels that higher apps add to the appraisal pages (CONTRIBUTING, "Layers"): kpi offers the
registry, an app above it (training: the agreed development goals) fills it in its
``AppConfig.ready()``.

A provider ``provider(request, appraisal, *, editable) -> Panel | None`` is called for the
review page (``editable=True`` when the reviewer may still change the review) and for the
employee's own appraisal page (``editable=False``); it runs a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


PanelProvider = Callable[..., Panel | None]

PROVIDERS: list[PanelProvider] = []


def register(provider: PanelProvider) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def render(request, appraisal, *, editable: bool) -> list[SafeString]:
    """The HTML of every registered panel for ``appraisal`` (none when it is ``None``)."""
    if appraisal is None:
        return []
    panels = (provider(request, appraisal, editable=editable) for provider in PROVIDERS)
    return [
        render_to_string(panel.template, panel.context, request=request)
        for panel in panels
        if panel is not None
    ]
