"""Pages of this app, mounted at ``/certification/``."""

from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("", views.cycle_list, name="cycle-list"),
    path("cycles/new/", views.cycle_create, name="cycle-create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/applications.xlsx", views.cycle_board_export, name="cycle-board-export"),
    path("cycles/<int:pk>/panels/", views.cycle_panels, name="cycle-panels"),
    path("cycles/<int:pk>/letters/", views.cycle_letters, name="cycle-letters"),
    path("cycles/<int:pk>/defences/", views.cycle_defences, name="cycle-defences"),
    path("defences/<int:pk>.ics", views.defence_ics_download, name="defence-ics"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path(
        "applications/<int:pk>/materials/<int:material_id>/",
        views.material_download,
        name="material-download",
    ),
    path("committee/", views.committee_queue, name="committee"),
    path("committee/<int:pk>/", views.sheet_page, name="sheet"),
    path("working-days/", views.workdays, name="workdays"),
]
