"""The office signs in with its password and then its authenticator code, with two-factor
authentication required (as in production; the test profile turns it off elsewhere)."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .test_login import sign_in


def current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_hr_signs_in_with_password_and_totp(demo_company, live_server, page, settings):
    from accounts import demo as accounts_demo
    from tests.clock import days

    settings.TWO_FACTOR_REQUIRED = True
    accounts_demo.build(today=days(-1))
    device = TOTPDevice.objects.get(user__username="hr", confirmed=True)

    sign_in(page, live_server.url, "hr")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    # the office's pages stay closed until the second factor is given
    page.goto(f"{live_server.url}/org/staff/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=/org/staff/"))

    wrong = "000000" if current_code(device) != "000000" else "111111"
    page.fill("#id_otp_token", wrong)
    page.click("main form button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_be_visible()
    page.wait_for_timeout(2100)  # django-otp throttles for a second after a wrong code

    page.fill("#id_otp_token", current_code(device))
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/org/staff/")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("card-company")).to_have_count(1)
