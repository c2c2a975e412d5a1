"""Every page of the navigation, for each demo role, in both languages: no serious axe-core
violation, no sideways scroll at 1366 or 390 px, screenshots kept, at most QUERY_CAP queries; in
zh-hans no English word left on the page (``journey.untranslated``); a missing page and a page
the role may not open answer the product's own 404 and 403 pages."""

import pytest

from .journey import ascii_words

ROLES = ["staff", "manager", "hr", "committee", "leader"]
# A page each role may not open (403), where one exists: the office's ranking runs.
FORBIDDEN = {"staff": "/ranking/", "manager": "/ranking/", "committee": "/ranking/"}


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_navigation_page_passes_the_page_checks(full_demo, journey, lang):
    failures = []
    for role in ROLES:
        j = journey(lang, f"pages-{role}")
        j.sign_in(role)
        paths = j.page.eval_on_selector_all(
            "#mainnav a.nav-link, #mainnav a.dropdown-item",
            "els => els.map(e => e.getAttribute('href'))",
        )
        for path in paths:
            if path.startswith(("/admin/", "/api/")):
                continue  # Django's admin and Swagger UI are not our pages
            j.goto(path)
            try:
                j.check(path.strip("/").replace("/", "-") or "home")
            except AssertionError as exc:
                failures.append(f"{role} {path}: {exc}")
            if lang == "zh-hans" and (words := j.untranslated()):
                failures.append(f"{role} {path}: untranslated {' '.join(words)}")
        errors = [("/no-such-page/", 404)]
        if role in FORBIDDEN:
            errors.append((FORBIDDEN[role], 403))
        for path, status in errors:
            if problem := j.expect_error(path, status):
                failures.append(f"{role} {problem}")
            elif lang == "zh-hans" and (words := j.untranslated()):
                failures.append(f"{role} {path} ({status}): untranslated {' '.join(words)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("认证办 (HR) · KPI 考核 · L3 · E00012 · 导出 XLSX", []),
        ("提交人 hr@example.com，见 https://ladder.example/letters/ 与 /ranking/mine/", []),
        ("排名 rank 3 · Save write-up", ["rank", "Save", "write", "up"]),
        ("大客户部Draft状态 draft", ["Draft", "draft"]),
    ],
)
def test_the_untranslated_scan(text, words):
    assert ascii_words(text) == words
