from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import dashboard


@login_required
def home(request):
    """The role-aware home dashboard."""
    return render(request, "core/home.html", dashboard.build(request.user))
