"""Two browsers sign up the same username at the same moment, each with its own connection: one
account is made, the other reader is told the name is taken (never a server error)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from .conftest import accounts, signup

pytestmark = pytest.mark.django_db(transaction=True)
BROWSERS = 4


def test_one_account_per_username_when_sign_ups_race():
    accounts("optional")
    start = threading.Barrier(BROWSERS)

    def sign_up(n):
        try:
            client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
            start.wait()
            response = signup(client, username="racer", email=f"racer{n}@example.com")
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(BROWSERS) as pool:
        statuses = sorted(pool.map(sign_up, range(BROWSERS)))
    assert statuses == [302] + [400] * (BROWSERS - 1)
    assert get_user_model().objects.filter(username="racer").count() == 1
