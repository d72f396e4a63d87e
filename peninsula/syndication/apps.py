from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "peninsula.syndication"
    label = "syndication"
