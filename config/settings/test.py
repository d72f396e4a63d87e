"""Settings for the test suite: fast hashing, and the database named by DATABASE_URL or SQLite."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-that-is-long-enough-for-django-checks-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Lockout needs the request in authenticate(); tests of it switch it back on.
AXES_ENABLED = False
