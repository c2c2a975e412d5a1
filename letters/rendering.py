"""HTML → PDF for letters, with WeasyPrint through :func:`core.pdf.html_to_pdf`, which loads
only the project's own files (:class:`core.pdf.SafeURLFetcher`). User-provided text reaches
the template only through Django's autoescaping.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.pdf import html_to_pdf

from . import wording
from .builtin_wording import builtin_parts
from .seals import seal_data_uri

logger = logging.getLogger(__name__)


@lru_cache(maxsize=32)
def static_file_uri(relative: str) -> str:
    """``file://`` URI of a static file (as found by the staticfiles finders), or ``""``."""
    found = finders.find(relative)
    if not found:
        logger.warning("Letter image %s not found in the static folders", relative)
        return ""
    return Path(found).resolve().as_uri()


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('letters:verify', args=[code])}"


def qr_svg(url: str) -> str:
    """An inline ``<svg>`` QR code (segno, error correction M) for ``url``."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=2, dark="#000")


def letter_html(letter, *, seal=None, template=None) -> str:
    """The letter's HTML, in the letter's language, from its stored facts; ``seal`` (an active
    :class:`~letters.models.LetterSeal`) prints the e-seal, otherwise the space stays blank
    for the company's stamp.

    The wording is that of ``template`` (a :class:`~letters.models.LetterTemplate`, for the
    preview of a draft), else of the version the letter recorded at issue (``letter.template``),
    else the built-in code template of its kind and language."""

    code = letter.verification_code
    template = template or letter.template
    context = {
        "letter": letter,
        "facts": letter.facts,
        "zh": letter.language == "zh-hans",
        "logo_uri": static_file_uri(settings.LETTER_LOGO),
        "seal_uri": seal_data_uri(seal) if seal is not None else "",
        "verify_url": verify_url(code),
        "qr_svg": qr_svg(verify_url(code)),
    }
    if letter.kind in settings.LETTER_RECEIPT_KINDS:
        # The receipt slip (送达回执) at the foot names the letter by its number and title.
        context["receipt"] = f"letters/pdf/{letter.language}/_receipt.html"
        context["receipt_title"] = builtin_parts(letter.kind, letter.language)["title"]
    with translation.override(letter.language):
        if template is None:
            return render_to_string(f"letters/pdf/{letter.language}/{letter.kind}.html", context)
        values = wording.field_values(
            facts=letter.facts, number=letter.number, issue_date=letter.issue_date
        )
        context["parts"] = wording.render_parts(template.parts, values)
        context["receipt_title"] = context["parts"]["title"]
        context["with_benefits"] = letter.kind in wording.KINDS_WITH_BENEFITS
        return render_to_string("letters/pdf/custom.html", context)


def render_letter_pdf(letter, *, seal=None, template=None) -> bytes:
    return html_to_pdf(letter_html(letter, seal=seal, template=template))
