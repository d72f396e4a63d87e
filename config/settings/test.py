"""Settings for the test suite: fast hashing, and the database named by DATABASE_URL or SQLite."""

import os
import tempfile

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
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:  # noqa: F405
    # A file, as in production: threads in concurrency tests then share one database through
    # WAL and the busy timeout, which an in-memory shared-cache database does not offer.
    _test_db = Path(tempfile.gettempdir()) / f"peninsula-test-{os.getpid()}.sqlite3"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}  # noqa: F405
# The counting limits' file of this test process (engagement/ratelimit.py).
PENINSULA_COUNTER_LIMITS_FILE = (
    Path(tempfile.gettempdir()) / f"peninsula-test-limits-{os.getpid()}.sqlite3"  # noqa: F405
)

# Static files come from the apps' folders (finders), never from a collected STATIC_ROOT that
# `make run` or a bench may be rewriting while the suite runs.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
