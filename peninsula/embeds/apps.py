from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    """Video and other embeds in article bodies, from the providers the site allows."""

    name = "peninsula.embeds"
    label = "embeds"
    verbose_name = "embeds"
