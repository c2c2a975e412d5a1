from django.urls import path

from . import template_views, views

app_name = "letters"

urlpatterns = [
    path("", views.my_letters, name="mine"),
    path("all/", views.letter_list, name="list"),
    path("issue/", views.batch_issue, name="issue"),
    path("<int:pk>/pdf/", views.letter_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.letter_revoke, name="revoke"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<int:pk>/publish/", template_views.template_publish, name="template-publish"),
    path(
        "templates/<str:kind>/<str:language>/",
        template_views.template_edit,
        name="template-edit",
    ),
    path(
        "templates/<str:kind>/<str:language>/preview/",
        template_views.template_preview,
        name="template-preview",
    ),
]
