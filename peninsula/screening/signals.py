"""A saved or deleted word moves the lists' version; a saved setting is read again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ScreeningSettings, SensitiveWord
from .services import settings_changed, words_changed


@receiver([post_save, post_delete], sender=SensitiveWord)
def word_changed(sender, **kwargs):
    words_changed()


@receiver(post_save, sender=ScreeningSettings)
def screening_settings_saved(sender, **kwargs):
    settings_changed()
