from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import dashboard, inbox, search
from .downloads import download_list
from .models import DownloadRecord
from .roles import require_office_page


@login_required
def home(request):
    """The role-aware home dashboard."""
    return render(request, "core/home.html", dashboard.build(request.user))


@login_required
def inbox_page(request):
    """The to-do inbox (待办): every item of the user, grouped by kind."""
    items = inbox.items_for(request.user)
    return render(request, "core/inbox.html", {"groups": inbox.grouped(items), "total": len(items)})


@login_required
def search_page(request):
    """The header's search box: people, letters, cycles, courses within the user's scope."""
    query = search.clean(request.GET.get("q"))
    groups = search.search(request.user, query)
    return render(
        request,
        "core/search.html",
        {"query": query, "groups": groups, "total": sum(len(g.hits) for g in groups)},
    )


@login_required
def downloads(request):
    """HR's view of the recorded downloads, filterable by user name and kind."""
    require_office_page(request.user)
    username = request.GET.get("user", "").strip()[:150]
    kind = request.GET.get("kind", "")
    if kind not in DownloadRecord.Kind.values:
        kind = ""
    records = download_list(username=username, kind=kind)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/downloads.html",
        {"page": page, "username": username, "kind": kind, "kinds": DownloadRecord.Kind.choices},
    )
