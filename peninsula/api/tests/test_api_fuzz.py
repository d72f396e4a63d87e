"""Schemathesis drives every operation with data generated from the OpenAPI schema.

Bounded and derandomized so that the normal test run stays quick and repeatable.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from peninsula.api.api import api
from peninsula.content.tests.factories import AuthorFactory, CategoryFactory
from peninsula.core.models import SiteSettings
from peninsula.syndication.tests.factories import make_article


@pytest.fixture
def fuzz_data(db):
    SiteSettings.objects.create()
    news = CategoryFactory(slug="news")
    korea = CategoryFactory(slug="korea", parent=news)
    kim = AuthorFactory(slug="kim")
    for n in range(3):
        make_article(category=korea if n % 2 else news, tags=["朝鲜", "summit"], authors=[kim])
    make_article(live=False)
    # As Django's test client does: a request must not close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Built from the API object rather than fetched, so that collecting the tests needs no database.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
# The plain Django handler: the page-cache WSGI wrapper has nothing to do with the API.
schema.app = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_its_schema_says(case, fuzz_data):
    # A cursor is opaque: a string that fits its schema is still not one the API handed out.
    opaque = [positive_data_acceptance] if (case.query or {}).get("cursor") else []
    case.call_and_validate(excluded_checks=opaque)
