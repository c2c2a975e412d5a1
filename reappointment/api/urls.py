"""Mounted at ``/api/v1/certification/reappointments/`` (before ``certification/``)."""

from rest_framework.routers import SimpleRouter

from .views import ReappointmentViewSet, ReviewViewSet

router = SimpleRouter()
router.register("reviews", ReviewViewSet, basename="reappointment-review")
router.register("", ReappointmentViewSet, basename="reappointment")

urlpatterns = router.urls
