"""Every translation catalogue in the project is complete: no untranslated or fuzzy entry in
zh_Hans, and every catalogue compiles (msgfmt --check). English source strings need no
translation, so ``en`` catalogues only have to compile."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
)

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext not installed")


def _stats(po: Path) -> str:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_there_are_catalogues_for_both_languages():
    languages = {p.parts[-3] for p in CATALOGUES}
    assert {"zh_Hans", "en"} <= languages


@pytest.mark.parametrize(
    "po",
    [p for p in CATALOGUES if p.parts[-3] == "zh_Hans"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_chinese_catalogue_is_complete(po):
    stats = _stats(po)
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


@pytest.mark.parametrize(
    "po", [p for p in CATALOGUES if p.parts[-3] == "en"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_english_catalogue_compiles(po):
    _stats(po)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_is_up_to_date(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run compilemessages"
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo} older than {po}"
