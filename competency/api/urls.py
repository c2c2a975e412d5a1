"""``/api/v1/competency/…`` (API.md). Register this app's viewsets on ``router``."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
