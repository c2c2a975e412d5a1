"""Pages of this app, mounted at ``/certification/``."""

app_name = "certification"

urlpatterns: list = []
