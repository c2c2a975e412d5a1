"""``/api/v1/ranking/…``."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("runs", views.RunViewSet, basename="ranking-run")
router.register(r"runs/(?P<run_pk>[0-9]+)/entries", views.EntryViewSet, basename="ranking-entry")

urlpatterns = router.urls
