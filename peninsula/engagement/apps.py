from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "peninsula.engagement"
    label = "engagement"
