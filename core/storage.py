"""Private files: stored under ``settings.PRIVATE_MEDIA_ROOT`` (outside the web root, no public
URL) and served only by views that check who may see them — training certificates,
application materials, honour-roll photos."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """The location is read from the settings on every use, so a changed setting (tests, a
    moved volume) is honoured without a restart."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):  # not cached: follows override_settings in tests
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):  # never public
        raise ValueError("Private files have no URL; use the scoped download view.")


_private_storage = PrivateStorage()


def private_storage() -> FileSystemStorage:
    """The storage as a callable for ``FileField(storage=…)``."""
    return _private_storage
