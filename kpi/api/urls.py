"""``/api/v1/kpi/…`` (API.md). Register this app's viewsets on ``router``."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
