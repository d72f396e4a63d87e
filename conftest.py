"""Shared by every test: per-process memos must not carry one test's state into the next."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_memos():
    from peninsula.core.memo import memos_clear

    memos_clear()
    yield
    memos_clear()


@pytest.fixture
def window_start():
    """The clock starts a second into the next hour, and runs. Rate limits count in fixed windows
    of the clock (a minute, an hour): a test whose requests straddled the end of one would see
    them counted in two. The hour is one still to come because Redis expires a window's keys at
    its end on the real clock."""
    import time

    import time_machine

    with time_machine.travel((time.time() // 3600 + 1) * 3600 + 1):
        yield
