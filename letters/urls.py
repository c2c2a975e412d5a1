from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.my_letters, name="mine"),
    path("all/", views.letter_list, name="list"),
    path("issue/", views.batch_issue, name="issue"),
    path("<int:pk>/pdf/", views.letter_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.letter_revoke, name="revoke"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
