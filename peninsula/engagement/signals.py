"""When articles change, forget what this process memoised about their publication state, and
drop the ranked lists that may show their old titles or show them at all."""

from django.dispatch import receiver

from peninsula.content.changes import articles_changed
from peninsula.content.models import Article

from . import rankings
from .services import published_memo_clear


@receiver(articles_changed, sender=Article)
def forget_publication_state(sender, ids, **kwargs):
    for pk in ids:
        published_memo_clear(pk)
    rankings.invalidate()
