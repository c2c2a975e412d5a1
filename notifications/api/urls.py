from rest_framework.routers import SimpleRouter

from .views import DeliveryViewSet, NotificationViewSet

router = SimpleRouter()
# Before the notifications' own routes, whose ``{id}`` would otherwise match "deliveries".
router.register("deliveries", DeliveryViewSet, basename="notification-delivery")
router.register("", NotificationViewSet, basename="notification")

urlpatterns = router.urls
