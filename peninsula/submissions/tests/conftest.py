import io

import pytest
from PIL import Image

from peninsula.content.tests.factories import CategoryFactory
from peninsula.engagement import ratelimit
from peninsula.engagement.tests.conftest import clear_redis


@pytest.fixture(autouse=True)
def fresh_limits():
    clear_redis()
    ratelimit.forget()
    yield
    clear_redis()


@pytest.fixture
def category(db):
    return CategoryFactory(name="社会", slug="shehui")


def picture(name="photo.png", size=(40, 30), kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    buffer.seek(0)
    buffer.name = name
    return buffer


def story(**overrides):
    data = {
        "title": "小区门口的路灯坏了三个月",
        "text": "我们小区门口的路灯已经坏了三个月，晚上出行很不方便。\n\n希望有关部门尽快修好。",
        "name": "张三",
        "contact": "13800001234",
        "website": "",
    }
    data.update(overrides)
    return data
