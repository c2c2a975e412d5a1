from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("config.api_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("org.urls")),
    path("competency/", include("competency.urls")),
    path("kpi/", include("kpi.urls")),
    path("training/", include("training.urls")),
    path("certification/", include("certification.urls")),
    path("reappointment/", include("reappointment.urls")),
    path("ranking/", include("ranking.urls")),
    path("pay/", include("pay.urls")),
    path("letters/", include("letters.urls")),
    path("jobs/", include("jobs.urls")),
    path("notifications/", include("notifications.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
