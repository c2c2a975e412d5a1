"""Pages of this app, mounted at ``/competency/``."""

from django.urls import path, re_path

from . import assessment_views as av
from . import views

app_name = "competency"

urlpatterns = [
    path("", views.model_list, name="model-list"),
    path("models/new/", views.model_create, name="model-create"),
    path("models/<int:pk>/", views.model_detail, name="model-detail"),
    re_path(
        r"^models/(?P<pk>\d+)/(?P<action>publish|retire|new-draft)/$",
        views.model_action,
        name="model-action",
    ),
    path("models/<int:pk>/requirements/", views.requirement_grid, name="requirement-grid"),
    path(
        "models/<int:model_pk>/competencies/new/", views.competency_edit, name="competency-create"
    ),
    path(
        "models/<int:model_pk>/competencies/<int:pk>/",
        views.competency_edit,
        name="competency-edit",
    ),
    path(
        "models/<int:model_pk>/competencies/<int:pk>/delete/",
        views.competency_delete,
        name="competency-delete",
    ),
    path("rounds/", av.round_list, name="round-list"),
    path("rounds/new/", av.round_create, name="round-create"),
    path("rounds/<int:pk>/", av.round_detail, name="round-detail"),
    re_path(
        r"^rounds/(?P<pk>\d+)/(?P<action>finalize|close)/$", av.round_action, name="round-action"
    ),
    path("assessments/", av.assessment_list, name="assessment-list"),
    path("assessments/<int:pk>/", av.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/rate/", av.rate, name="rate"),
    re_path(
        r"^assessments/(?P<pk>\d+)/(?P<action>finalize|cancel|invite)/$",
        av.assessment_action,
        name="assessment-action",
    ),
    path("staff/<int:pk>/", av.profile, name="profile"),
    path("staff/<int:pk>/pdf/", av.profile_pdf, name="profile-pdf"),
    path("me/", av.my_profile, name="me"),
]
