"""Shared by every test: per-process memos must not carry one test's settings into the next."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_site_defaults():
    from peninsula.core.site import site_defaults_clear

    site_defaults_clear()
    yield
    site_defaults_clear()
