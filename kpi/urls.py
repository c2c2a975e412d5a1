"""Pages of this app, mounted at ``/kpi/``."""

from django.urls import path, re_path

from . import views

app_name = "kpi"

urlpatterns = [
    path("", views.my_kpi, name="me"),
    path("staff/<int:pk>/", views.staff_kpi, name="staff"),
    path("team/", views.team, name="team"),
    path("team/rate/", views.rate, name="rate"),
    path("team/export.xlsx", views.team_export, name="team-export"),
    path("import/", views.import_page, name="import"),
    re_path(r"^import/template\.(?P<fmt>csv|xlsx)$", views.import_template, name="import-template"),
]
