"""``/api/v1/``: one router per app, mounted under the app's prefix (API.md)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.views import LogoutAllView, LogoutView, TokenView
from core.api.audit import AuditEventViewSet
from core.api.inbox import InboxView
from core.api.search import SearchView
from notifications.api.views import MyNotificationSettingsView
from training.api.views import StaffTrainingSummaryView

audit_router = DefaultRouter()
audit_router.register("events", AuditEventViewSet, basename="auditevent")

urlpatterns = [
    path("inbox/", InboxView.as_view(), name="api-inbox"),
    path("search/", SearchView.as_view(), name="api-search"),
    path(
        "me/notification-settings/",
        MyNotificationSettingsView.as_view(),
        name="api-notification-settings",
    ),
    path("notifications/", include("notifications.api.urls")),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    path(
        "org/staff/<int:pk>/training-summary/",
        StaffTrainingSummaryView.as_view(),
        name="staff-training-summary",
    ),
    path("org/staff/<int:pk>/competency-profile/", include("competency.api.profile_urls")),
    path("org/", include("org.api.urls")),
    path("competency/", include("competency.api.urls")),
    path("kpi/", include("kpi.api.urls")),
    path("training/", include("training.api.urls")),
    path("certification/letters/", include("letters.api.urls")),
    path("letters/templates/", include("letters.api.template_urls")),
    path("ranking/", include("ranking.api.urls")),
    path("pay/", include("pay.api.urls")),
    path("certification/recertifications/", include("ranking.api.recert_urls")),
    path("certification/reappointments/", include("reappointment.api.urls")),
    path("certification/", include("certification.api.urls")),
    path("audit/", include(audit_router.urls)),
    path("jobs/", include("jobs.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as its own file (``?script``): the
    # Content-Security-Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
