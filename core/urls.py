from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from . import views


class ProviderKeys:
    """One or more home-card provider keys joined by ``+`` (``core.dashboard.KEY_SEPARATOR``)."""

    regex = r"[-a-z0-9]+(?:\+[-a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProviderKeys, "provider_keys")

urlpatterns = [
    path("", views.home, name="home"),
    path("home/todo/", views.home_todo, name="home-todo"),
    path("home/cards/<provider_keys:keys>/", views.home_cards, name="home-cards"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("search/", views.search_page, name="search"),
    path("downloads/", views.downloads, name="downloads"),
]
