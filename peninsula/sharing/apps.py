from django.apps import AppConfig


class SharingConfig(AppConfig):
    """The article page's share block: copy the link, or scan a QR code into WeChat."""

    name = "peninsula.sharing"
    label = "sharing"
