"""Shared by every test: per-process memos must not carry one test's state into the next."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_memos():
    from peninsula.core.memo import memos_clear

    memos_clear()
    yield
    memos_clear()
