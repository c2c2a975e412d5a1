from django.urls import path

from . import views

app_name = "reappointment"

urlpatterns = [
    path("", views.expiring, name="expiring"),
    path("expiring.xlsx", views.expiring_xlsx, name="expiring-xlsx"),
    path("overdue/", views.overdue, name="overdue"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/open/", views.review_open, name="review-open"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("cases/<int:pk>/<str:action>/", views.case_decide, name="case-decide"),
]
