"""Keeping counts and cached comment pages right when rows change outside the services: the
comment settings saved in the admin, a comment edited or deleted there."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from peninsula.content.changes import articles_changed
from peninsula.content.models import Article

from .models import ArticleCommentRule, CategoryCommentRule, Comment, CommentSettings
from .policy import rules_forget, site_rules_forget
from .services import comment_deleted, comment_edited, comments_purge_all


@receiver([post_save, post_delete], sender=CommentSettings)
def purge_comment_pages(sender, **kwargs):
    """The site's rules are in every cached comments answer (open, moderation, accounts)."""
    site_rules_forget()
    comments_purge_all()


@receiver([post_save, post_delete], sender=CategoryCommentRule)
@receiver([post_save, post_delete], sender=ArticleCommentRule)
def forget_rules(sender, **kwargs):
    site_rules_forget()


@receiver(post_save, sender=Comment)
def purge_edited_comment(sender, instance, created, **kwargs):
    if not created:  # a new comment is purged by the service that stored it
        comment_edited(comment=instance)


@receiver(pre_delete, sender=Comment)
def count_deleted_comment(sender, instance, **kwargs):
    comment_deleted(comment=instance)


@receiver(articles_changed, sender=Article)
def forget_article_rules(sender, ids, **kwargs):
    """A new publication time (or category) changes when comments close, and how."""
    for pk in ids:
        rules_forget(pk)
