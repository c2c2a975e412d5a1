"""Mounted at ``/api/v1/certification/letters/`` (before the certification router)."""

from rest_framework.routers import SimpleRouter

from .views import LetterViewSet

router = SimpleRouter()
router.register("", LetterViewSet, basename="letter")

urlpatterns = router.urls
