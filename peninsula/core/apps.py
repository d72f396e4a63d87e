from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peninsula.core"
    label = "core"
