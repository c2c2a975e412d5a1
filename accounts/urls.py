from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/enrol/", views.two_factor_enrol, name="two-factor-enrol"),
    path("two-factor/disable/", views.two_factor_disable, name="two-factor-disable"),
    path("office/", views.office_accounts, name="office-accounts"),
    path("office/unlock/<int:pk>/", views.office_unlock, name="office-unlock"),
    path("office/reset-password/", views.office_reset_password, name="office-reset-password"),
]
