"""Pages of the training app, mounted at ``/training/``."""

from django.urls import path

from .views import activities, catalogue, evaluations, goals, ledger, me, plans

app_name = "training"

urlpatterns = [
    path("", me.my_training, name="my"),
    path("staff/<int:pk>/", me.staff_training, name="staff"),
    path("courses/", catalogue.course_list, name="course-list"),
    path("courses/<int:pk>/", catalogue.course_detail, name="course-detail"),
    path("sessions/", catalogue.session_list, name="session-list"),
    path("sessions/new/", catalogue.session_form, name="session-new"),
    path("sessions/<int:pk>/", catalogue.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", catalogue.session_form, name="session-edit"),
    path("sessions/<int:pk>/enrol/", catalogue.session_enrol, name="session-enrol"),
    path(
        "sessions/<int:pk>/withdraw/<int:enrolment_pk>/",
        catalogue.session_withdraw,
        name="session-withdraw",
    ),
    path("sessions/<int:pk>/results/", catalogue.session_results, name="session-results"),
    path("sessions/<int:pk>/complete/", catalogue.session_complete, name="session-complete"),
    path("sessions/<int:pk>/cancel/", catalogue.session_cancel, name="session-cancel"),
    path("records/", ledger.record_list, name="records"),
    path("records/export.xlsx", ledger.record_export, name="records-export"),
    path("records/import/", ledger.record_import, name="import"),
    path("certificates/", me.certificate_list, name="certificates"),
    path("certificates/new/", me.certificate_new, name="certificate-new"),
    path("certificates/<int:pk>/file/", me.certificate_file, name="certificate-file"),
    path("certificates/<int:pk>/review/", me.certificate_review, name="certificate-review"),
    path("activities/", activities.activity_list, name="activities"),
    path("goals/add/<int:appraisal_pk>/", goals.goal_add, name="goal-add"),
    path("goals/<int:pk>/remove/", goals.goal_remove, name="goal-remove"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path(
        "plans/<int:pk>/lines/<int:line_pk>/remove/",
        plans.plan_line_remove,
        name="plan-line-remove",
    ),
    path("evaluations/", evaluations.evaluation_list, name="evaluations"),
    path("evaluations/results/", evaluations.evaluation_results, name="evaluation-results"),
    path("sessions/<int:pk>/evaluate/", evaluations.evaluation_submit, name="evaluation-submit"),
    path("packages/<int:pk>/choose/", me.package_choose, name="package-choose"),
    path("packages/<int:pk>/use/", me.package_use, name="package-use"),
]
