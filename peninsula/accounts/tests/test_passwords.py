"""Passwords are stored as Argon2 hashes, and older PBKDF2 hashes are upgraded at sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from config.settings import base

from .conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_new_user_gets_an_argon2_hash(base_hashers):
    user = get_user_model().objects.create_user(username="editor", password=PASSWORD)

    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_a_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(client, base_hashers):
    user = get_user_model().objects.create_superuser(username="editor", password="unused")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    assert login(client, "editor").status_code == 302

    user.refresh_from_db()
    assert user.password.startswith("argon2$")
