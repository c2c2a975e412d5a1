from tests.jobs.redis import redis_url, rq_backend  # noqa: F401 - Redis fixtures
from tests.letters.conftest import ladder, office, private_media  # noqa: F401 - shared fixtures
