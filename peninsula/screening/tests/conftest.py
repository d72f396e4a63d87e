import pytest

from peninsula.engagement import ratelimit
from peninsula.engagement.tests.conftest import clear_redis


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no post counted (in the local file, or in Redis with REDIS_URL)."""
    clear_redis()
    ratelimit.forget()
    yield
    clear_redis()


@pytest.fixture
def words(db):
    """Put words on the lists: words({"傻逼": "block", "广告": "mask"})."""
    from peninsula.screening.models import SensitiveWord

    def add(mapping, list_name=""):
        for word, action in mapping.items():
            SensitiveWord.objects.create(word=word, action=action, list_name=list_name)

    return add
