"""The test settings for a second process that must use the running test's database."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["CHILD_DATABASE_NAME"]  # noqa: F405
