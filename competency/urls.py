"""Pages of this app, mounted at ``/competency/``."""

app_name = "competency"

urlpatterns: list = []
