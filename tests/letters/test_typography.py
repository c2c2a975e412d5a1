"""GB/T 9704 conventions where they apply: A4 with margins 37/35/28/26 mm, the title in Noto
Serif CJK SC Bold (小标宋-like) and the body in Noto Serif CJK SC Regular, full-width punctuation
in Chinese text, and every kind on exactly one page with the longest names and titles of the
demo."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from letters import rendering, services
from org import demo as org_demo
from org import services as org_services
from tests.factories import StaffFactory, make_ladder, make_unit

from .helpers import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db

MM = 72 / 25.4


def _longest_demo_level(level):
    """Dress ``level`` with the longest name, title and office of the demo ladder."""
    rows = org_demo.LEVELS
    level.name = max((r[1] for r in rows), key=len)
    level.name_en = max((r[2] for r in rows), key=len)
    level.honorary_title = max((r[6] for r in rows), key=len)
    level.honorary_title_en = max((r[7] for r in rows), key=len)
    level.office_entitlement = max((r[8] for r in rows), key=len)
    level.allowance = Decimal("6000.00")
    level.training_package_value = Decimal("15000.00")
    level.save()
    return level


@pytest.fixture
def longest(db):
    levels = make_ladder()
    _longest_demo_level(levels[2])
    _longest_demo_level(levels[1])
    unit = make_unit(
        "LONGEST",
        name=max((d[1] for d in org_demo.DEPARTMENTS), key=len)
        + max((b[1] for b in org_demo.BRANCHES), key=len),
    )
    # Names of the demo are a surname and one or two given characters.
    staff = StaffFactory(
        name=org_demo.SURNAMES[0] + org_demo.GIVEN[:2],
        employee_no="K99999999",
        unit=unit,
        level=levels[1],
        level_since=dt.date(2021, 1, 1),
    )
    held = org_services.appoint(
        actor=None, staff=staff, level=levels[2], start=dt.date(2024, 3, 1), reason="promotion"
    )
    return levels, held


GROUNDS = {
    "ranking_year": 2025,
    "cohort": max((d[1] for d in org_demo.DEPARTMENTS), key=len),
    "cohort_size": 120,
    "rank": 118,
    "band_size": 12,
    "ranking_score": Decimal("61.25"),
    "recert_score": Decimal("55.50"),
    "pass_line": Decimal("60.00"),
    "elimination_line": Decimal("40.00"),
    "ground": "连续两年复核认证未通过",
    "approved_on": dt.date(2026, 11, 20),
    "appeal_until": dt.date(2026, 11, 27),
    "effective_on": dt.date(2026, 11, 28),
}


def _pdf(letter) -> bytes:
    return services.letter_path(letter).read_bytes()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "kind", ["promotion", "kept", "demotion", "elimination", "recertification"]
)
def test_every_kind_fits_one_a4_page_with_the_longest_demo_values(longest, office, kind, language):
    levels, held = longest
    grounds = None
    if kind != "promotion":
        grounds = {**GROUNDS, "new_level_id": levels[1].pk}
    letter = services.letter_issue(
        actor=office, appointment=held, kind=kind, language=language, grounds=grounds
    )
    reader = PdfReader(io.BytesIO(_pdf(letter)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)


def test_the_renewal_fits_one_page_too(longest, office):
    levels, held = longest
    renewal = org_services.appoint(
        actor=None, staff=held.staff, level=levels[2], start=dt.date(2027, 3, 1), reason="renewal"
    )
    letter = services.letter_issue(actor=office, appointment=renewal)
    assert len(PdfReader(io.BytesIO(_pdf(letter))).pages) == 1


def test_title_bold_body_regular_full_width_punctuation_and_margins(longest, office):
    _levels, held = longest
    letter = services.letter_issue(actor=office, appointment=held)
    pdf = _pdf(letter)
    fonts = pdf_fonts(pdf)
    assert "NotoSerifCJKsc-Bold" in fonts.replace("-", "").replace("SC", "sc") or "Bold" in fonts
    assert "Noto-Serif-CJK-SC" in fonts
    text = pdf_text(pdf)
    assert "验证码：" in text and "验证码:" not in text
    assert "(" not in text.split("验证码")[0]  # no half-width brackets in the Chinese letter
    html = rendering.letter_html(letter)
    assert "margin: 37mm 26mm 35mm 28mm" in html
