"""Every page of the navigation, for each demo role, in both languages: no serious axe-core
violation, no sideways scroll at 1366 or 390 px, screenshots kept, at most QUERY_CAP queries."""

import pytest

ROLES = ["staff", "manager", "hr", "committee", "leader"]


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
    assert not failures, "\n".join(failures)
