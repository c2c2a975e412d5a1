"""Pages of the ranking app, mounted at ``/ranking/``."""

from django.urls import path

from . import views, views_analytics

app_name = "ranking"

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/export.xlsx", views.run_export, name="run-export"),
    path("honour-roll/", views.honour_roll, name="honour-roll"),
    path("honour-roll/<int:pk>/poster.pdf", views.honour_poster, name="honour-poster"),
    path(
        "honour-roll/<int:run_pk>/members/<int:staff_pk>/",
        views.honour_member,
        name="honour-member",
    ),
    path("honour-roll/photos/", views.honour_photo_add, name="honour-photo-add"),
    path("honour-roll/photos/<int:pk>/", views.honour_photo, name="honour-photo"),
    path(
        "honour-roll/photos/<int:pk>/delete/", views.honour_photo_delete, name="honour-photo-delete"
    ),
    path("mine/", views.mine, name="mine"),
    path("distribution/", views.distribution, name="distribution"),
    path("analytics/", views_analytics.analytics_page, name="analytics"),
    path("analytics/heat-map.xlsx", views_analytics.heat_map_export, name="analytics-heat-export"),
    path("recertifications/", views.case_list, name="case-list"),
    path("recertifications/<int:pk>/", views.case_detail, name="case-detail"),
]
