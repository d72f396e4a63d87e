"""Two-step verification devices: set up, confirm, remove; a wrong code counts as a failed login."""

from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def totp_device_for(user, *, confirmed=True):
    """The user's TOTP device in the given state, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).first()


@transaction.atomic
def totp_device_start(*, user):
    """An unconfirmed device with a fresh secret; reused while set-up is unfinished so that a
    reload shows the same QR code."""
    device = totp_device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device, token):
    """Turn the device on if the token matches; other devices of the user go."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    return True


@transaction.atomic
def totp_device_remove(*, user):
    TOTPDevice.objects.filter(user=user).delete()


def otp_failure_record(*, request, user):
    """A wrong code counts as a failed login, so django-axes locks the user and address out
    after the same number of failures as for passwords."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def totp_verify(*, user, token):
    """The user's confirmed device if it accepts the token, else None. The row is locked so that
    parallel guesses cannot slip past django-otp's throttle together."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        )
        if device is not None and device.verify_token(token):
            return device
    return None
