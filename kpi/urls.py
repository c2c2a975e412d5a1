"""Pages of this app, mounted at ``/kpi/``."""

app_name = "kpi"

urlpatterns: list = []
