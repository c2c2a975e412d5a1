from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from . import dashboard, inbox, search
from .downloads import download_list
from .models import DownloadRecord
from .roles import require_office_page


@login_required
def home(request):
    """The role-aware home dashboard: a frame with a slot per card provider, each slot filled
    by its fragment (``static/js/home-cards.js``)."""
    return render(request, "core/home.html", dashboard.build(request.user))


def _fragment(request, template: str, context: dict):
    """A home-page fragment as the home page's script asks for it (``X-Fragment``): the cards
    alone, without the site's context processors (the navigation, my staff record), which
    only the layout needs. Opened as a page (no script, a link followed): the same cards in
    the site's layout."""
    if request.headers.get("X-Fragment") == "1":
        return HttpResponse(render_to_string(template, context))
    context = {**context, "fragment_template": template}
    return render(request, "core/home_fragment_page.html", context)


@require_GET
@login_required
def home_todo(request):
    """The home page's to-do summary (empty when there is nothing to do)."""
    return _fragment(request, "core/home/todo.html", dashboard.todo(request.user))


@require_GET
@login_required
def home_cards(request, keys: str):
    """The home-page cards of the providers ``keys`` names (``org+ranking``; empty when they
    have none for the user)."""
    group = dashboard.providers_of(keys)
    if group is None:
        raise Http404
    cards = dashboard.cards_of(group, request.user)
    return _fragment(request, "core/home/cards.html", {"app_cards": cards})


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
