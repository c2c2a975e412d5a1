"""Pages of the pay app, mounted at ``/pay/``."""

from django.urls import path

from . import views

app_name = "pay"

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/payroll.<str:kind>", views.payroll, name="payroll"),
    path("policies/", views.policies, name="policies"),
    path("mine/", views.mine, name="mine"),
]
