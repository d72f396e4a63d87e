import pytest

from peninsula.core.models import SiteSettings


@pytest.fixture
def site_settings(db):
    """The settings row exists, as on a set-up site, so query counts do not include creating it."""
    return SiteSettings.objects.create(site_name="半岛新闻网", tagline="Peninsula News")
