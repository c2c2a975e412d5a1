from tests.letters.conftest import ladder, office, private_media  # noqa: F401 - shared fixtures
