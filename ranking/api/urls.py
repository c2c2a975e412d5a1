"""``/api/v1/ranking/…``."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import analytics, views
from .distribution import DistributionView

router = DefaultRouter(trailing_slash=True)
router.register("runs", views.RunViewSet, basename="ranking-run")
router.register(r"runs/(?P<run_pk>[0-9]+)/entries", views.EntryViewSet, basename="ranking-entry")

urlpatterns = [
    path("analytics/heat-map/", analytics.HeatMapView.as_view(), name="analytics-heat-map"),
    path("analytics/flows/", analytics.FlowsView.as_view(), name="analytics-flows"),
    path("analytics/ladder/", analytics.LadderView.as_view(), name="analytics-ladder"),
    path("distribution/", DistributionView.as_view(), name="ranking-distribution"),
    *router.urls,
]
