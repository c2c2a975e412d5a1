"""Translations right by construction: find msgids that two catalogues translate differently.

At run time Django merges every catalogue it loads into one dictionary: ``LOCALE_PATHS`` first,
then the installed apps in order, then Django's own (``django/conf/locale``). A msgid (with its
msgctxt) keeps exactly one translation, so when two catalogues disagree one of them silently
loses — the project's "Object" (提出异议, a verb on a button) shadowing or being shadowed by
another's "Object" (对象, a noun). Ambiguous short words therefore get a ``pgettext`` context;
this module finds the ones that slipped through.

A *collision* is a msgid (same msgctxt, same plural form) whose translations differ

* between two of the project's catalogues (``locale/`` and each app's ``<app>/locale/``), or
* between a project catalogue and the ones shipped by Django and the installed packages (when
  those disagree among themselves, the project's must be one of theirs).

Two packages disagreeing with each other is not the project's business and is not reported.
The compiled ``.mo`` files are read (``tests/test_i18n.py`` checks they are up to date with
their ``.po``), in the directories gettext itself would load for the language.
"""

import gettext
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.utils.translation import to_locale

LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Catalogue:
    path: Path
    project: bool

    @property
    def label(self) -> str:
        base = Path(settings.BASE_DIR)
        if self.path.is_relative_to(base):
            return str(self.path.relative_to(base))
        parts = self.path.parts
        if "site-packages" in parts:
            return str(Path(*parts[parts.index("site-packages") + 1 :]))
        return str(self.path)


@dataclass(frozen=True)
class Collision:
    msgctxt: str | None
    msgid: str
    plural_index: int | None
    # (catalogue label, translation), the project's catalogues first
    translations: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        head = f"msgid {self.msgid!r}"
        if self.msgctxt is not None:
            head = f"msgctxt {self.msgctxt!r} " + head
        if self.plural_index is not None:
            head += f" [plural {self.plural_index}]"
        lines = [head] + [f"    {text!r:24} in {label}" for label, text in self.translations]
        return "\n".join(lines)


def _locale_dirs() -> list[tuple[Path, bool]]:
    """Every locale directory Django loads, with whether it belongs to the project."""
    base = Path(settings.BASE_DIR).resolve()
    dirs: list[tuple[Path, bool]] = [(Path(p).resolve(), True) for p in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve() / "locale"
        if path.is_dir():
            dirs.append((path, path.is_relative_to(base) and ".venv" not in path.parts))
    dirs.append((Path(django.__file__).resolve().parent / "conf" / "locale", False))
    return dirs


def catalogues(language: str = LANGUAGE) -> list[Catalogue]:
    """The compiled catalogues gettext would load for ``language`` (zh_Hans, then zh)."""
    found = []
    seen = set()
    for directory, project in _locale_dirs():
        for name in gettext._expand_lang(to_locale(language)):  # type: ignore[attr-defined]
            mo = directory / name / "LC_MESSAGES" / "django.mo"
            if mo.is_file() and mo not in seen:
                seen.add(mo)
                found.append(Catalogue(mo, project))
    return found


def _entries(catalogue: Catalogue) -> dict[tuple[str | None, str, int | None], str]:
    with catalogue.path.open("rb") as fp:
        translation = gettext.GNUTranslations(fp)
    entries = {}
    for key, text in translation._catalog.items():  # type: ignore[attr-defined]
        msgid, index = key if isinstance(key, tuple) else (key, None)
        if not msgid:
            continue  # the header
        msgctxt, _, msgid = msgid.rpartition("\x04") if "\x04" in msgid else (None, "", msgid)
        entries[(msgctxt, msgid, index)] = text
    return entries


def collisions(language: str = LANGUAGE) -> list[Collision]:
    """Every msgid the project translates differently from another catalogue, sorted."""
    found: dict[tuple[str | None, str, int | None], list[tuple[Catalogue, str]]] = {}
    for catalogue in catalogues(language):
        for key, text in _entries(catalogue).items():
            found.setdefault(key, []).append((catalogue, text))
    result = []
    for (msgctxt, msgid, index), seen in found.items():
        project = {text for catalogue, text in seen if catalogue.project}
        packages = {text for catalogue, text in seen if not catalogue.project}
        if not project:
            continue
        if len(project) == 1 and (not packages or project <= packages):
            continue
        ordered = sorted(seen, key=lambda pair: not pair[0].project)
        result.append(
            Collision(
                msgctxt=msgctxt,
                msgid=msgid,
                plural_index=index,
                translations=tuple((catalogue.label, text) for catalogue, text in ordered),
            )
        )
    return sorted(result, key=lambda c: (c.msgid.lower(), c.msgctxt or "", c.plural_index or 0))
