import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP

PASSWORD = "correct-horse-battery"


def make_staff(username="editor"):
    return get_user_model().objects.create_superuser(
        username=username, password=PASSWORD, email=f"{username}@example.com"
    )


def login(client, username, password=PASSWORD, **extra):
    """Posts Wagtail's real admin sign-in form, as a browser does."""
    data = {"username": username, "password": password, "next": reverse("wagtailadmin_home")}
    return client.post(reverse("wagtailadmin_login"), data, **extra)


def current_code(device):
    """The code an authenticator app shows now for the device's secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def is_signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def axes_on(settings):
    """The test settings switch django-axes off; lockout tests switch it back on."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 1.0
    return settings


@pytest.fixture
def frozen(time_machine):
    """Frozen clock; tests step it past the 30-second code windows themselves."""
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    return time_machine
