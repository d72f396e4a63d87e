from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "peninsula.search"
    label = "search"
