"""``/api/v1/org/staff/<pk>/competency-profile/``, included from ``config/api_urls.py``."""

from django.urls import path

from .views import StaffCompetencyProfileView

urlpatterns = [
    path("", StaffCompetencyProfileView.as_view(), name="staff-competency-profile"),
]
