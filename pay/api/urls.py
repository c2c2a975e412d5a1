"""``/api/v1/pay/…``."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("policies", views.PolicyViewSet, basename="pay-policy")
router.register("coefficients", views.CoefficientViewSet, basename="pay-coefficient")
router.register("deferral-rules", views.DeferralViewSet, basename="pay-deferral")
router.register("runs", views.RunViewSet, basename="pay-run")
router.register("lines", views.LineViewSet, basename="pay-line")
router.register("instalments", views.InstalmentViewSet, basename="pay-instalment")

urlpatterns = router.urls
