from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "peninsula.api"
    label = "api"
