"""Keeping counts and cached comment pages right when rows change outside the services: the
comment settings saved in the admin, a comment edited or deleted there."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from .models import Comment, CommentSettings
from .policy import site_rules_forget
from .services import comment_deleted, comment_edited


@receiver(post_save, sender=CommentSettings)
def forget_site_rules(sender, **kwargs):
    site_rules_forget()


@receiver(post_save, sender=Comment)
def purge_edited_comment(sender, instance, created, **kwargs):
    if not created:  # a new comment is purged by the service that stored it
        comment_edited(comment=instance)


@receiver(pre_delete, sender=Comment)
def count_deleted_comment(sender, instance, **kwargs):
    comment_deleted(comment=instance)
