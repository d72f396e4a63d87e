from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in security for the admin: lockout page, Argon2 and optional two-step verification."""

    name = "peninsula.accounts"
    label = "accounts"
    verbose_name = _("Account security")
