"""``/api/v1/kpi/…`` (API.md). Register this app's viewsets on ``router``."""

from rest_framework.routers import DefaultRouter

from . import profiles, ratings, views

router = DefaultRouter()
router.register(
    "ratings/assignments", ratings.RaterAssignmentViewSet, basename="kpi-rating-assignment"
)
router.register("ratings", ratings.QualitativeRatingViewSet, basename="kpi-rating")
router.register("profiles", profiles.AssessmentProfileViewSet, basename="kpi-profile")
router.register("profile-choices", profiles.ProfileChoiceViewSet, basename="kpi-profile-choice")
router.register("indicators", views.IndicatorViewSet, basename="kpi-indicator")
router.register("schemes", views.SchemeViewSet, basename="kpi-scheme")
router.register("periods", views.PeriodViewSet, basename="kpi-period")
router.register("actuals", views.ActualViewSet, basename="kpi-actual")
router.register("corrections", views.CorrectionViewSet, basename="kpi-correction")
router.register("scores", views.PeriodScoreViewSet, basename="kpi-score")
router.register("annual-scores", views.AnnualScoreViewSet, basename="kpi-annual-score")
router.register("grade-policies", views.GradePolicyViewSet, basename="kpi-grade-policy")
router.register("appraisals", views.AppraisalViewSet, basename="kpi-appraisal")
router.register("quota-allocations", views.QuotaAllocationViewSet, basename="kpi-quota-allocation")
router.register("staff-targets", views.StaffTargetViewSet, basename="kpi-staff-target")

urlpatterns = router.urls
