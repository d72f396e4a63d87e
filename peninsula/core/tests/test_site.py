from datetime import UTC, datetime

import pytest

from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.core.models import SiteSettings
from peninsula.core.site import site_defaults, site_defaults_clear


@pytest.fixture(autouse=True)
def fresh_defaults():
    site_defaults_clear()
    yield
    site_defaults_clear()


@pytest.mark.django_db
def test_environment_defaults_apply_until_the_settings_are_saved(settings):
    settings.LANGUAGE_CODE = "en"
    settings.TIME_ZONE = "Europe/London"
    assert site_defaults().language == "en"
    assert site_defaults().time_zone == "Europe/London"
    assert SiteSettings.load().default_language == "en"  # a new row starts from the environment


@pytest.mark.django_db
def test_the_admins_language_and_time_zone_rule_public_pages(client):
    category = CategoryFactory(name="World", slug="world")
    published = datetime(2024, 9, 22, 1, 36, 59, tzinfo=UTC)
    article = ArticleFactory(category=category, published_at=published, title="Kim letter")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "2024-09-22 09:36:59" in html  # Asia/Shanghai
    assert '<html lang="zh-CN"' in html

    site = SiteSettings.load()
    site.default_language = "en"
    site.time_zone = "America/New_York"
    site.save()

    html = client.get(article.get_absolute_url()).content.decode()
    assert "2024-09-21 21:36:59" in html
    assert '<html lang="en"' in html


def test_a_time_zone_must_exist():
    from django.core.exceptions import ValidationError

    site = SiteSettings(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as error:
        site.full_clean(exclude=["site_name"])
    assert "time_zone" in error.value.message_dict
