"""Changes to the comment settings reach every process's memo at once where they are saved."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CommentSettings
from .policy import site_rules_forget


@receiver(post_save, sender=CommentSettings)
def forget_site_rules(sender, **kwargs):
    site_rules_forget()
