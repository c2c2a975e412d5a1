"""Downloads of sensitive files are recorded (issue: information security — who downloaded
which letter, material, photo or export, when and from where)."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from core.client_ip import client_ip
from core.models import DownloadRecord

Kind = DownloadRecord.Kind


def download_record(*, request, kind: str, obj: models.Model | None = None, label: str = ""):
    """Record that ``request.user`` downloaded ``obj`` (or, for an export, the file named
    ``label``). Call it in the view once the user may have the file, before answering."""
    user = request.user if request.user.is_authenticated else None
    return DownloadRecord.objects.create(
        user=user,
        user_name=user.get_username() if user else "",
        kind=kind,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(label or str(obj or ""))[:255],
        ip=client_ip(request),
    )


def download_list(*, username: str = "", kind: str = "") -> QuerySet[DownloadRecord]:
    """The download records, newest first, optionally of one user (by user name) and of one
    kind."""
    records = DownloadRecord.objects.select_related("user")
    if username:
        records = records.filter(user_name=username)
    if kind:
        records = records.filter(kind=kind)
    return records
