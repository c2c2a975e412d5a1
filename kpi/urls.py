"""Pages of this app, mounted at ``/kpi/``."""

from django.urls import path, re_path

from . import appraisal_views, profile_views, quota_views, rating_views, views

app_name = "kpi"

urlpatterns = [
    path("", views.my_kpi, name="me"),
    path("staff/<int:pk>/", views.staff_kpi, name="staff"),
    path("staff/<int:pk>/ratings/", rating_views.rating_result, name="rating-result"),
    path("ratings/", rating_views.ratings, name="ratings"),
    path("profile/", profile_views.profiles, name="profiles"),
    path("team/", views.team, name="team"),
    path("team/rate/", views.rate, name="rate"),
    path("team/<int:pk>/raters/", rating_views.raters, name="raters"),
    path("team/export.xlsx", views.team_export, name="team-export"),
    path("appraisal/", appraisal_views.appraisal_me, name="appraisal-me"),
    path("appraisal/team/", appraisal_views.appraisal_team, name="appraisal-team"),
    path("appraisal/team/<int:pk>/", appraisal_views.appraisal_review, name="appraisal-review"),
    path("stages/", appraisal_views.stages, name="stages"),
    path("calibration/", quota_views.calibration, name="calibration"),
    path("import/", views.import_page, name="import"),
    re_path(r"^import/template\.(?P<fmt>csv|xlsx)$", views.import_template, name="import-template"),
]
