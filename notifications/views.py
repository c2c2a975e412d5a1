"""Pages: the caller's notifications and preferences; the office's delivery log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotInScope
from core.roles import require_office_page

from . import registry, selectors, services
from .forms import NotificationSettingsForm
from .models import Delivery

PAGE_SIZE = 30


def _back(request, default: str):
    """Where a form posted from a list returns: its ``next`` when it is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
def notification_list(request):
    unread = request.GET.get("show") != "all"
    notifications = selectors.notification_list(user=request.user, unread=unread)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "unread": unread},
    )


@login_required
def notification_open(request, pk: int):
    """Opening a notification marks it read and follows its link."""
    notification = selectors.get_notification(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = selectors.get_notification(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    return _back(request, "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def notification_settings(request):
    prefs = selectors.settings_of(user=request.user)
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            services.settings_update(
                user=request.user,
                language=form.cleaned_data["language"],
                email_enabled=form.cleaned_data["email_enabled"],
                im_enabled=form.cleaned_data["im_enabled"],
                digest=form.cleaned_data["digest"],
                muted_events=form.muted_events(),
            )
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:settings")
    else:
        form = NotificationSettingsForm(
            initial={
                "language": prefs.language,
                "email_enabled": prefs.email_enabled,
                "im_enabled": prefs.im_enabled,
                "digest": prefs.digest,
                "sent_events": [c for c in registry.EVENTS if c not in prefs.muted_events],
            }
        )
    return render(request, "notifications/settings.html", {"form": form})


@login_required
def delivery_list(request):
    require_office_page(request.user)
    status = request.GET.get("status", "")
    if status not in Delivery.Status.values:
        status = ""
    deliveries = selectors.delivery_list(user=request.user, status=status)
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/delivery_list.html",
        {"page": page, "status": status, "statuses": Delivery.Status.choices},
    )


@login_required
@require_POST
def delivery_retry(request, pk: int):
    require_office_page(request.user)
    delivery = selectors.delivery_list(user=request.user).filter(pk=pk).first()
    if delivery is None:
        raise NotInScope()
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
        messages.success(request, _("The delivery was queued again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, "notifications:deliveries")
