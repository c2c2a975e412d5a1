from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("home/todo/", views.home_todo, name="home-todo"),
    path("home/cards/<slug:key>/", views.home_cards, name="home-cards"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("search/", views.search_page, name="search"),
    path("downloads/", views.downloads, name="downloads"),
]
