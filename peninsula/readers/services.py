"""Creating reader accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def reader_create(*, username, display_name, email, password):
    """A plain user: not staff, in no group, so the admin refuses it (Wagtail asks for the
    `access_admin` permission, which only the newsroom's groups grant)."""
    return get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=display_name,
        is_staff=False,
        is_superuser=False,
    )
