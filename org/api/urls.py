from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.register("units", views.OrgUnitViewSet, basename="orgunit")
router.register("tracks", views.TrackViewSet, basename="track")
router.register("levels", views.LevelViewSet, basename="level")
router.register("staff", views.StaffViewSet, basename="staff")
router.register("appointments", views.AppointmentViewSet, basename="appointment")

urlpatterns = router.urls
