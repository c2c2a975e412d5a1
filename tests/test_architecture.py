"""The architecture rules that no linter states by itself (CONTRIBUTING.md, "Layers" and
"Errors"); the layer order is import-linter's contract (`make lint`)."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _layered_apps() -> list[str]:
    """The apps of import-linter's layers contract (pyproject.toml), low to high: the one list
    of the project's apps and their order."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    return [app.strip() for layer in reversed(layers) for app in layer.split("|")]


APPS = _layered_apps()


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "apps.py":
                continue
            yield path


def lines_matching(pattern: str):
    regex = re.compile(pattern)
    for path in app_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if regex.search(line):
                yield f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


def test_the_layers_cover_every_app():
    """Every app directory of the project is in the layers contract, and every layer is an
    app."""
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps - {"config"} <= set(APPS)
    assert all((ROOT / app).is_dir() for app in APPS)
    assert APPS[0] == "core" and APPS[-1] == "config"


@pytest.mark.parametrize(
    "pattern",
    [r"\bimport_module\(", r"\bapps\.get_model\(", r"\bapps\.is_installed\(", r"\bget_model\("],
)
def test_no_string_lookups_between_apps(pattern):
    """Apps import each other directly (a lower app offers a hook); never by a string."""
    assert list(lines_matching(pattern)) == []


def test_no_not_installed_fallbacks():
    """No ``try: import <app> … except ImportError``: every app is always installed, so such a
    guard only turns a missing function into a silent fallback."""
    guards = []
    for path in app_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Try):
                continue
            imported = {
                (n.module or "" if isinstance(n, ast.ImportFrom) else n.names[0].name).split(".")[0]
                for stmt in node.body
                for n in ast.walk(stmt)
                if isinstance(n, ast.Import | ast.ImportFrom)
            }
            if imported & set(APPS):
                guards.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert guards == []


def test_every_blind_except_says_why():
    """`except Exception` only with its reason on the line: ``# noqa: BLE001 — why`` or, where
    ruff accepts the handler by itself (it logs the traceback or re-raises),
    ``# blind on purpose (logged|re-raised): why``."""
    justified = re.compile(
        r"except (Exception|BaseException)\b.*:\s+# "
        r"(noqa: BLE001 — \S|blind on purpose \((logged|re-raised)\): \S)"
    )
    unjustified = [
        line
        for line in lines_matching(r"except (Exception|BaseException)\b|except:")
        if not justified.search(line)
    ]
    assert unjustified == []


def test_services_never_raise_http404():
    """A service refuses with ``core.errors.NotInScope`` (404 on the API and on pages)."""
    services = [
        p
        for p in app_modules()
        if p.name == "services.py" or "services" in p.relative_to(ROOT).parts[1:-1]
    ]
    assert services
    offending = [
        str(p.relative_to(ROOT)) for p in services if "Http404" in p.read_text(encoding="utf-8")
    ]
    assert offending == []
