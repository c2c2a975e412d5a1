"""Mounted at ``/api/v1/letters/templates/``."""

from rest_framework.routers import SimpleRouter

from .template_views import LetterTemplateViewSet

router = SimpleRouter()
router.register("", LetterTemplateViewSet, basename="lettertemplate")

urlpatterns = router.urls
