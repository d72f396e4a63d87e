"""What every browser test shares."""

import pytest


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    """Uploads go to a folder the live server serves, so that pictures load in the browser and
    show in screenshots (the rest of the suite keeps them in memory)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
