"""``/api/v1/certification/recertifications/`` (API.md lists it under certification; the
ranking app owns re-certification cases)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("", views.CaseViewSet, basename="recertification")

urlpatterns = router.urls
