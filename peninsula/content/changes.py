"""One "articles changed" event per transaction, sent on commit, for every way articles are written
(save, delete, publish, import, generation); see docs/decisions.md ("One event")."""

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

# articles_changed(sender=Article, ids=[...], before={key: {pk: value}}): the articles written
# in a committed transaction, and what listeners remembered about them before the first write
# (see `remember_before`). Deleted articles are among the ids; their rows are gone.
articles_changed = Signal()
# article_pages_stale(...), same arguments: sent right after every `articles_changed` receiver has
# run, for caches of rendered pages. A page re-rendered once the purge is out must read data
# derived from the new rows (rankings, the search index), whatever the order of INSTALLED_APPS.
article_pages_stale = Signal()

# Sent by `peninsula setup_site` once the demo content is loaded into an empty site, so that apps
# above content can dress the demo as editors would (curation fills its slots).
demo_loaded = Signal()


class _Batch:
    def __init__(self, connection):
        self.connection = connection
        self.atomic = connection.in_atomic_block
        self.ids = set()
        self.before = {}

    def send(self):
        if getattr(self.connection, _ATTRIBUTE, None) is self:
            delattr(self.connection, _ATTRIBUTE)
        from .models import Article

        # The articles are committed: a failing listener (its index or cache then lags until
        # repaired) is logged rather than turned into an error for the editor who saved.
        for signal in (articles_changed, article_pages_stale):
            results = signal.send_robust(sender=Article, ids=sorted(self.ids), before=self.before)
            for receiver, result in results:
                if isinstance(result, Exception):
                    log.error("%r failed on %s", receiver, signal, exc_info=result)

    def registered(self):
        """Whether this batch still waits for the commit (a rollback drops its callback)."""
        return any(func == self.send for _sids, func, _robust in self.connection.run_on_commit)


# The open batch lives on the connection, which is per thread. A batch of a transaction that
# rolled back (its callback dropped) or of another mode (autocommit, atomic) is stale.
_ATTRIBUTE = "_peninsula_articles_changed"


def _batch(connection):
    batch = getattr(connection, _ATTRIBUTE, None)
    if (
        batch is None
        or batch.atomic != connection.in_atomic_block
        or (batch.atomic and not batch.registered())
    ):
        batch = _Batch(connection)
        setattr(connection, _ATTRIBUTE, batch)
        if batch.atomic:
            transaction.on_commit(batch.send, using=connection.alias)
    return batch


def articles_touch(ids, *, using=None):
    """Mark articles as changed: the event is sent on commit, once per transaction (at once
    outside a transaction)."""
    connection = transaction.get_connection(using)
    batch = _batch(connection)
    batch.ids.update(ids)
    if not connection.in_atomic_block:
        batch.send()


def remember_before(key, pk, compute, *, using=None):
    """Keep `compute()` under `key` for the article, at its first write in the transaction only,
    so that listeners learn from the event where the article was before it changed."""
    if pk is None:
        return
    remembered = _batch(transaction.get_connection(using)).before.setdefault(key, {})
    if pk not in remembered:
        remembered[pk] = compute()


# Saves of only these fields change nothing a reader sees (a new draft revision, a lock).
UNSEEN_FIELDS = frozenset(
    ["latest_revision", "has_unpublished_changes", "locked", "locked_at", "locked_by"]
)


def saves_seen(update_fields):
    return update_fields is None or not set(update_fields) <= UNSEEN_FIELDS
