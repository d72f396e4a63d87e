"""Reindex the articles of each committed "articles changed" event, however they were written.

Deleted articles' ids come too: `documents_update` drops their rows (the cascade already has).
Whether an article is visible is not stored in the index: queries re-apply
`Article.objects.published()`. See docs/search.md.
"""

from django.dispatch import receiver

from peninsula.content.changes import articles_changed
from peninsula.content.models import Article

from .services import documents_update


@receiver(articles_changed, sender=Article)
def index_changed_articles(sender, ids, **kwargs):
    documents_update(article_ids=ids)
