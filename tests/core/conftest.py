# The small company of the org tests (see tests/org/conftest.py) serves the platform tests too.
from tests.org.conftest import as_user, company  # noqa: F401
