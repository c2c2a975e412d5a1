"""The office edits a letter's wording in the browser: the PDF preview follows the typing (no
inline script: static/js/template-preview.js), bad placeholders are refused in the preview and
under the field, and publishing asks first and states what it changes."""

import re


def test_office_edits_previews_and_publishes_a_template(full_demo, journey):
    j = journey("en", "letter-templates")
    j.sign_in("hr")
    j.nav("/letters/templates/")
    j.check("template-list")
    j.page.click("a[href='/letters/templates/promotion/en/']")
    j.page.wait_for_load_state()
    j.check("template-edit", axe_exclude=["iframe"])

    closing = j.page.locator("#id_closing")
    with j.page.expect_response(
        lambda r: r.url.endswith("/preview/") and r.request.method == "POST"
    ) as answer:
        closing.fill("Welcome to the next level.")  # typing alone refreshes the preview
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # The frame received the PDF of the wording typed (unit tests read the PDF's text).
    assert "Welcome+to+the+next+level." in (response.request.post_data or "")

    with j.page.expect_response(
        lambda r: r.url.endswith("/preview/") and r.request.method == "POST"
    ) as answer:
        closing.fill("Bonus: {{ bonus }}")
    assert answer.value.status == 400
    frame = j.page.frame(name="template-preview")
    frame.wait_for_selector(".alert-danger")
    assert "Unknown field “bonus”" in frame.inner_text("body")

    j.page.click("#template-form button[type=submit]:not([formaction])")
    j.page.wait_for_load_state()
    assert "Unknown field “bonus”" in j.page.locator("#closing-error").inner_text()

    closing.fill("Welcome to the next level.")
    j.page.click("#template-form button[type=submit]:not([formaction])")
    j.page.wait_for_url(re.compile(r"/letters/templates/promotion/en/$"))
    assert "Draft version 1 saved." in j.page.locator("main").inner_text()

    messages = []
    j.page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    j.page.click("text=Publish version 1")
    j.page.wait_for_load_state()
    assert "issued letters do not change" in messages[0]
    assert "Version 1 published: new letters use this wording; issued letters do not change." in (
        j.page.locator("main").inner_text()
    )
