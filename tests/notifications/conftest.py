import pytest
from django.utils.translation import gettext_lazy

from notifications import registry

# Wording that already has a Chinese translation, so both languages can be asserted exactly.
PING = registry.EventType(
    code="tests.ping",
    label="Ping",
    subject=gettext_lazy("To do"),
    body=gettext_lazy("Page %(n)s of %(total)s"),
)
OTHER = registry.EventType(
    code="tests.other", label="Other", subject="Other thing", body="Something else"
)


@pytest.fixture(autouse=True)
def events():
    registry.register(PING, OTHER)
    yield
    registry.EVENTS.pop(PING.code, None)
    registry.EVENTS.pop(OTHER.code, None)
