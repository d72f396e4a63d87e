"""The search index: one row of pre-segmented tokens per article.

The full-text structures that rank these rows belong to the database in use and are created by
migration 0002: an FTS5 table kept in step by triggers on SQLite, a generated, weighted tsvector
column with a GIN index on PostgreSQL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from peninsula.content.models import Article


class SearchDocument(models.Model):
    article = models.OneToOneField(
        Article,
        verbose_name=_("article"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    title_tokens = models.TextField(_("title tokens"))
    body_tokens = models.TextField(_("body tokens"))
    language = models.CharField(_("language"), max_length=35)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title_tokens[:80]
