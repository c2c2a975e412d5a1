"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

Never downloads a browser: ``/usr/bin/chromium`` is launched through ``executable_path``.
Every test in this folder is marked ``e2e`` (the Makefile runs them on SQLite only).
"""

import os
from pathlib import Path

import pytest

from tests.clock import days

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def allow_async_unsafe():
    """Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    tests (building the demo, the live server's setup) would otherwise be refused as "async
    unsafe". Set for the browser tests only, and restored afterwards."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(allow_async_unsafe):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_company(transactional_db):
    from org import demo

    return demo.build(staff_count=40, today=days(-1))


@pytest.fixture
def shots():
    """The artifact folder for screenshots (``var/e2e-shots``; ``E2E_SHOTS_DIR`` moves it)."""
    from .journey import shots_root

    folder = shots_root()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def full_demo(transactional_db):
    """The whole demo company (every app's demo step, as ``seed_demo`` builds it) at 60 staff,
    dated today so that the live server's dates agree with it. ~10 s on SQLite."""
    from django.core.management import call_command

    call_command("seed_demo", staff=60, quiet=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def journey(live_server, browser, request):
    """``journey(lang, name)`` → a :class:`tests.e2e.journey.Journey` on a fresh 1366 px page;
    its query cap is asserted when the test ends."""
    from .journey import WIDE, Journey

    made = []

    def make(lang: str, name: str) -> Journey:
        context = browser.new_context(
            viewport={"width": WIDE[0], "height": WIDE[1]},
            locale="zh-CN" if lang == "zh-hans" else "en-US",
            accept_downloads=True,
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        # Irreversible steps ask for a confirmation (data-confirm): the user agrees.
        page.on("dialog", lambda dialog: dialog.accept())
        j = Journey(page=page, base_url=live_server.url, lang=lang, name=name)
        made.append(j)
        return j

    yield make
    for j in made:
        j.page.context.close()
    for j in made:
        j.finish()
