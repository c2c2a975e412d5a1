"""Downloads are recorded and shown to HR (page and read-only admin)."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import DownloadRecord
from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _records(user, n, kind="export"):
    DownloadRecord.objects.bulk_create(
        DownloadRecord(user=user, user_name=user.username, kind=kind, object_repr=f"file-{i}.xlsx")
        for i in range(n)
    )


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_hr_sees_every_download_paginated_with_constant_queries(
    hr_user, django_assert_max_num_queries
):
    alice = UserFactory(username="alice", roles=[Role.STAFF])
    bob = UserFactory(username="bob", roles=[Role.STAFF])
    _records(alice, 40, "letter")
    _records(bob, 30, "material")
    client = login(hr_user)
    with django_assert_max_num_queries(12):
        response = client.get("/downloads/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 70
    with django_assert_max_num_queries(12):
        page2 = client.get("/downloads/?page=2")
    assert len(page2.context["page"]) == 20


def test_the_list_filters_by_user_and_kind(hr_user):
    alice = UserFactory(username="alice", roles=[Role.STAFF])
    bob = UserFactory(username="bob", roles=[Role.STAFF])
    _records(alice, 3, "letter")
    _records(alice, 2, "photo")
    _records(bob, 4, "letter")
    client = login(hr_user)
    assert client.get("/downloads/?user=alice").context["page"].paginator.count == 5
    assert client.get("/downloads/?kind=letter").context["page"].paginator.count == 7
    page = client.get("/downloads/?user=alice&kind=photo").context["page"]
    assert page.paginator.count == 2
    assert client.get("/downloads/?kind=bogus").context["page"].paginator.count == 9


def test_only_the_office_sees_the_downloads():
    staff = UserFactory(username="someone", roles=[Role.STAFF])
    assert login(staff).get("/downloads/").status_code == 403
    assert login(staff).get("/admin/core/downloadrecord/").status_code in (302, 403)


def test_the_admin_lists_downloads_read_only(hr_user):
    admin = UserFactory(username="root", roles=[Role.ADMIN], is_staff=True, is_superuser=True)
    _records(admin, 2)
    client = login(admin)
    assert client.get("/admin/core/downloadrecord/").status_code == 200
    record = DownloadRecord.objects.first()
    assert client.get(f"/admin/core/downloadrecord/{record.pk}/change/").status_code == 200
    assert client.get("/admin/core/downloadrecord/add/").status_code == 403
    assert client.post(f"/admin/core/downloadrecord/{record.pk}/delete/").status_code == 403


def test_records_are_append_only(hr_user):
    _records(hr_user, 1)
    record = DownloadRecord.objects.get()
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        DownloadRecord.objects.all().delete()


def test_the_address_recorded_is_the_one_the_proxy_gives(rf, settings):
    """Behind nginx the client's address is X-Real-IP (set by the proxy), as django-axes reads
    it; without the setting it is REMOTE_ADDR; a value that is not an address is ignored."""
    from core.client_ip import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_ip(request) == "10.0.0.1"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")
    assert client_ip(request) == "203.0.113.7"
    forged = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="<script>")
    assert client_ip(forged) == "10.0.0.1"
