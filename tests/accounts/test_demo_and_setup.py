"""The demo's second factors and the replacement of rest_framework.authtoken."""

import io

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo
from core.roles import Role
from tests.factories import UserFactory


def test_the_demo_gives_the_required_roles_devices_with_the_documented_keys(db):
    for username, role in (("hr", Role.HR), ("leader", Role.LEADERSHIP), ("admin", Role.ADMIN)):
        UserFactory(username=username, roles=[role])
    UserFactory(username="staff", roles=[Role.STAFF])
    demo.build(today=None)
    demo.build(today=None)  # idempotent
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
    assert sorted(d.user.username for d in devices) == ["admin", "hr", "leader"]
    hr_device = devices.get(user__username="hr")
    assert hr_device.bin_key.hex() == demo.hex_key("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    out = io.StringIO()
    call_command("demo_totp", "hr", stdout=out)
    expected = totp(hr_device.bin_key, hr_device.step, hr_device.t0, hr_device.digits)
    assert out.getvalue().strip() == f"{expected:06d}"


def test_permanent_tokens_are_gone(db):
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert "knox" in settings.INSTALLED_APPS
    assert "authtoken_token" not in connection.introspection.table_names()
