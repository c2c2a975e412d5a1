"""Pages of this app, mounted at ``/training/``."""

app_name = "training"

urlpatterns: list = []
