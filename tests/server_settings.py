"""Settings for the app servers that the scale-out and fault tests start (tests/servers.py).

The served configuration (config.settings.base) with two changes a test needs: templates resolve
static files without a collectstatic run, and SQLite gives up on a held write lock after one
second instead of twenty, so that a lock test does not wait twenty seconds per request.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, SQLITE_ENGINE, STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:
    _options = DATABASES["default"]["OPTIONS"]
    _options["timeout"] = 1
    _options["init_command"] = _options["init_command"].replace(
        "PRAGMA busy_timeout=20000;", "PRAGMA busy_timeout=1000;"
    )
