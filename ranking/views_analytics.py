"""Pages of the workforce analytics (``/ranking/analytics/``): the competency heat map, the
flows of the ladder and the ladder match, for the leadership group, the committee (read-only)
and the office. Thin: the figures are :mod:`ranking.analytics`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core import clock
from core.roles import Role, has_role
from core.xlsx import xlsx_response

from . import analytics, exports

READERS = (Role.LEADERSHIP, Role.COMMITTEE, Role.HR, Role.ADMIN)


def require_reader(user) -> None:
    if not has_role(user, *READERS):
        raise PermissionDenied


def chosen_model(request):
    """The published model asked for by ``?model=``, else the first (by track)."""
    models = analytics.heat_models()
    wanted = request.GET.get("model", "")
    model = next((m for m in models if str(m.pk) == wanted), models[0] if models else None)
    return models, model


@login_required
def analytics_page(request):
    require_reader(request.user)
    models, model = chosen_model(request)
    return render(
        request,
        "ranking/analytics.html",
        {
            "models": models,
            "model": model,
            "heat": analytics.heat_map(model=model),
            "bands": analytics.GAP_LEGEND,
            "flows": analytics.flows(),
            "ladder": analytics.ladder_match(on_date=clock.today()),
        },
    )


@login_required
def heat_map_export(request):
    require_reader(request.user)
    _models, model = chosen_model(request)
    heat = analytics.heat_map(model=model)
    name = f"competency-heat-map-{model.track.code if model else 'none'}.xlsx"
    return xlsx_response(request, file=exports.heat_map_xlsx(heat), filename=name)
