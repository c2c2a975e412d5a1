"""``/api/v1/certification/…`` (API.md). Register this app's viewsets on ``router``."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import defences, views

router = DefaultRouter()
router.register("cycles", views.CycleViewSet, basename="cert-cycle")
router.register("applications", views.ApplicationViewSet, basename="cert-application")
router.register("panels", views.PanelViewSet, basename="cert-panel")
router.register("sheets", views.SheetViewSet, basename="cert-sheet")
router.register("conflicts", views.ConflictViewSet, basename="cert-conflict")
router.register("objections", views.ObjectionViewSet, basename="cert-objection")
router.register("defences", defences.DefenceViewSet, basename="cert-defence")

urlpatterns = [
    path(
        "cycles/<int:pk>/defences/",
        defences.CycleDefencesView.as_view(),
        name="cert-cycle-defences",
    ),
    *router.urls,
]
