"""``/api/v1/training/…`` (API.md, "training")."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("records", views.RecordViewSet, basename="record")
router.register("requirements", views.RequirementViewSet, basename="requirement")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("packages", views.PackageViewSet, basename="package")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("goals", views.GoalViewSet, basename="goal")

urlpatterns = [
    path(
        "evaluations/results/",
        views.EvaluationResultsView.as_view(),
        name="training-evaluation-results",
    ),
    *router.urls,
]
