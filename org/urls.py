from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("ladder/", views.ladder, name="ladder"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/export.xlsx", views.staff_export, name="staff-export"),
    path("staff/me/", views.me, name="me"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/exit/", views.staff_exit, name="staff-exit"),
]
