"""HTML → PDF with WeasyPrint, loading only the project's own files — for every PDF the
product renders (letters, the competency profile).

:class:`SafeURLFetcher` is the only way WeasyPrint reaches a resource while rendering: it
serves files under the static folders (``STATICFILES_DIRS``, the apps' ``static/`` folders,
``STATIC_ROOT``) and ``MEDIA_ROOT``, and ``data:`` URLs; everything else — ``http(s)``, ``ftp``,
``file://`` outside those folders (``/etc/passwd``), symlinks pointing out of them — is refused
(and logged), so text or markup that reaches a template can never make the server fetch a URL.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


class URLRefused(ValueError):
    """A template asked for a resource outside the project's static/media files."""


def allowed_roots() -> list[Path]:
    roots: list[Path] = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    for value in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        if value:
            roots.append(Path(value))
    return [root.resolve() for root in roots]


class SafeURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher restricted to the project's static and media files."""

    def __init__(self, roots: list[Path] | None = None, **kwargs):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, **kwargs)
        self.roots = roots if roots is not None else allowed_roots()
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str):
        self.refused.append(url)
        logger.warning("PDF rendering refused %s: %s", url[:200], why)
        raise URLRefused(f"Refused {url[:200]}: {why}")

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url, "only the project's static and media files may be loaded")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return self._refuse(url, "remote file URL")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            return self._refuse(url, "outside the static and media folders")
        if not path.is_file():
            return self._refuse(url, "no such file")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, reused across documents (fontconfig set-up is costly)."""
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def html_to_pdf(html: str, fetcher: SafeURLFetcher | None = None) -> bytes:
    """The PDF of ``html``; relative URLs resolve against the project folder and every
    resource goes through ``fetcher`` (a :class:`SafeURLFetcher` by default)."""
    fetcher = fetcher or SafeURLFetcher()
    base = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(font_config=_font_config())
    return pdf
