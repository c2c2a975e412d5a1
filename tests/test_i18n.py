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


def test_no_msgid_has_two_translations():
    """gettext merges the catalogues and keeps one translation per msgid (and msgctxt): a project
    catalogue disagreeing with another, or with Django's or a package's, shows the wrong word
    somewhere. Ambiguous words get a pgettext context instead (see CONTRIBUTING.md)."""
    from core.catalogues import collisions

    found = collisions()
    assert not found, "\n".join(str(c) for c in found)


def test_the_ambiguous_words_come_out_right():
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("zh-hans"):
        assert pgettext("objection", "Object") == "提出异议"
        assert pgettext("application", "Withdraw") == "撤回申请"
        assert pgettext("enrolment", "Withdraw") == "取消报名"
        assert pgettext("training", "Sessions") == "培训班次"
        assert pgettext("person", "Name") == "姓名"
        assert pgettext("enrolment status", "open") == "报名中"
        assert pgettext("decision", "pending") == "待决定"
        assert gettext("Training package") == "培训礼包"


def test_the_collision_check_reports_a_shadowed_word(tmp_path, settings):
    """A project catalogue giving "Sessions" another word than Django's sessions app is caught."""
    from core.catalogues import collisions

    po = tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "session"\nmsgstr "培训班"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603, S607
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path]
    found = [c for c in collisions() if c.msgid == "session" and c.msgctxt is None]
    assert len(found) == 1
    assert ("培训班" in str(found[0])) and ("会话" in str(found[0]))
