"""``/api/v1/competency/…`` (API.md, "competency")."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("models", views.CompetencyModelViewSet, basename="competencymodel")
router.register("competencies", views.CompetencyViewSet, basename="competency")
router.register("requirements", views.RequirementViewSet, basename="requirement")
router.register("rounds", views.RoundViewSet, basename="assessmentround")
router.register("assessments", views.AssessmentViewSet, basename="assessment")

urlpatterns = router.urls
