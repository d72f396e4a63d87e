from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "peninsula.ingestion"
    label = "ingestion"
