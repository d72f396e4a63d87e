"""Writes that span content models or have side effects, each in one transaction.

Every committed write of articles sends one `changes.articles_changed` event (docs/decisions.md).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import related
from .bulk import TimeAdapter, insert_instances, insert_rows
from .changes import articles_touch
from .models import (
    Article,
    ArticleAuthor,
    ArticlePlacement,
    ArticleTag,
    Category,
    RelatedArticle,
)

CATEGORY_PATH_SEPARATOR = "/"


def split_category_path(path):
    """The names along a path such as "国际/亚太", validated; raises ValidationError.

    The error's `code` (not_string, empty_level, too_long) and `params` let callers that
    report in another language, such as the import, word it themselves.
    """
    if not isinstance(path, str):
        raise ValidationError(_("A category path must be a string."), code="not_string")
    names = [name.strip() for name in path.split(CATEGORY_PATH_SEPARATOR)]
    if not path.strip() or any(not name for name in names):
        raise ValidationError(
            _("The category path %(path)r has an empty level."),
            code="empty_level",
            params={"path": path},
        )
    max_length = Category._meta.get_field("name").max_length
    for name in names:
        if len(name) > max_length:
            raise ValidationError(
                _("The category name %(name)r is longer than %(max)d characters."),
                code="too_long",
                params={"name": name, "max": max_length},
            )
    return names


def category_ensure_path(*, path):
    """The leaf category of `path`, creating every missing level ("国际/亚太" → 国际 › 亚太).

    Safe when two processes create the same path at once: a lost race on the unique
    (parent, name) constraint falls back to the row the other process created.
    """
    parent = None
    for name in split_category_path(path):
        parent = _category_child(parent, name)
    return parent


def _category_child(parent, name):
    for _attempt in range(3):
        try:
            # On SQLite the IMMEDIATE transaction serialises the look-up and the insert; on
            # PostgreSQL the unique (parent, name) constraint turns a lost race into an error.
            with transaction.atomic():
                existing = Category.objects.filter(parent=parent, name=name).first()
                if existing is not None:
                    return existing
                return Category.objects.create(
                    parent=parent, name=name, slug=Category.unique_slug(name)
                )
        except IntegrityError:
            # The same (parent, name) or the chosen slug was just taken by another process;
            # the next attempt reads the row back or picks a free slug.
            continue
    raise IntegrityError(f"could not create category {name!r} under {parent}")


def article_link_translation(*, article, translation):
    """Link an article to its translation on the live rows; `Article.save` keeps the pair
    symmetric and unlinks former partners. `translation=None` unlinks."""
    with transaction.atomic():
        row = Article.objects.select_for_update().get(pk=article.pk)
        row.translation = translation
        row.save(update_fields=["translation"])
    return row


def article_publish(*, article, user=None):
    """Publish the article's latest version, saving one first if it has no revision yet (an
    imported article). A go-live time in the future schedules it instead."""
    with transaction.atomic():
        revision = article.latest_revision or article.save_revision(user=user)
        revision.publish(user=user)
    return revision


def article_unpublish(*, article, user=None):
    """Take the article off the site; its text stays as a draft."""
    with transaction.atomic():
        article.unpublish(user=user)


def article_move(*, article, category, user=None):
    """File the article (its latest version and, if live, what readers see) under `category`."""
    with transaction.atomic():
        pending = article.has_unpublished_changes
        draft = article.get_latest_revision_as_object()
        draft.category = category
        revision = draft.save_revision(user=user)
        if article.live and not pending:
            revision.publish(user=user)
        else:
            # A draft waiting for review must not be published by a move; the row moves alone.
            article.category = category
            article.save(update_fields=["category"])
    return revision


@dataclass
class ArticleWrite:
    """One article for `articles_bulk_write`: the field values of a new article (a dict), or
    an Article whose fields hold its new values; the ids of its tags; the ids of its authors,
    in byline order, each credited for the text (文); and, for a new article, the fields
    `Article.derived_for` gives for its values when already computed (by an import's worker
    process), or None to compute them here."""

    article: dict | Article
    tag_ids: list = field(default_factory=list)
    author_ids: list = field(default_factory=list)
    derived: dict | None = None


def articles_bulk_write(*, writes, excerpt_length=None):
    """Write many articles with the rows derived from them (excerpt, fingerprint, tag rows with
    their copy of the publication time, author rows, placements): the one writer for the import, the
    generator and the benches. New articles go in with plain INSERTs; updated ones through
    `Article.save()`, whose tag and author rows are then replaced. Returns the new ids in order.
    """
    new = [w for w in writes if isinstance(w.article, dict)]
    updated = [w for w in writes if not isinstance(w.article, dict)]
    with transaction.atomic():
        for write in new:
            values = write.article
            values.update(
                write.derived
                or Article.derived_for(
                    title=values.get("title", ""),
                    summary=values.get("summary", ""),
                    byline=values.get("byline", ""),
                    body=values.get("body", ""),
                    excerpt_length=excerpt_length,
                )
            )
        now = timezone.now()
        # One adapter for the article, tag and placement rows: they share their times.
        adapt = TimeAdapter()
        new_ids = insert_instances(
            Article,
            [w.article for w in new],
            defaults={"created_at": now, "updated_at": now},
            adapt=adapt,
        )
        for write in updated:
            write.article.save()
        pks = new_ids + [w.article.pk for w in updated]
        times = [w.article["published_at"] for w in new] + [w.article.published_at for w in updated]
        ArticleTag.objects.filter(content_object_id__in=pks[len(new) :]).delete()
        ArticleAuthor.objects.filter(article_id__in=pks[len(new) :]).delete()
        insert_rows(
            ArticleTag,
            ("content_object", "tag", "published_at"),
            [
                (pk, tag_id, adapt(published_at))
                for pk, published_at, write in zip(pks, times, new + updated, strict=True)
                for tag_id in write.tag_ids
            ],
        )
        insert_rows(
            ArticleAuthor,
            ("article", "author", "role", "sort_order"),
            [
                (pk, author_id, ArticleAuthor.Role.WRITER.value, order)
                for pk, write in zip(pks, new + updated, strict=True)
                for order, author_id in enumerate(dict.fromkeys(write.author_ids))
            ],
        )
        ArticlePlacement.objects.write(
            [
                (pk, w.article["category_id"], w.article["published_at"])
                for pk, w in zip(new_ids, new, strict=True)
            ],
            replace=False,
            adapt=adapt,
        )
        articles_touch(new_ids)
    return new_ids


# Past this many articles written at once (an import), the older articles whose lists would now
# gain them are not recomputed: each of those is recomputed at its own next write.
RELATED_NEIGHBOURS_LIMIT = 200


def articles_related_refresh(*, ids):
    """Store the related lists (相关文章) of the written articles, the one writer of
    `RelatedArticle`: the lists of the live ones among `ids`, of every article whose list holds
    one of them (so an article unpublished or retagged leaves the lists it was in), and, for a
    few articles written at once, of the articles in their new lists (so a new story joins the
    lists of the stories it is related to). Called with each "articles changed" event."""
    ids = set(ids)
    owners = related.live_categories(ids | related.listing(ids))
    lists = related.compute(owners)
    if len(ids) <= RELATED_NEIGHBOURS_LIMIT:
        written = [lists[pk] for pk in ids if pk in lists]
        neighbours = {other for entries in written for other in entries} - owners.keys()
        lists.update(related.compute(related.live_categories(neighbours)))
    rows = [
        (pk, other, rank) for pk, entries in lists.items() for rank, other in enumerate(entries)
    ]
    for _attempt in range(3):
        try:
            with transaction.atomic():
                for chunk in related.chunks(ids | lists.keys()):
                    RelatedArticle.objects.filter(article_id__in=chunk).delete()
                insert_rows(RelatedArticle, ("article", "related", "rank"), rows)
            return
        except IntegrityError:
            # PostgreSQL: a refresh of the same articles committed rows after this DELETE
            # began, so it did not see them; the next attempt does.
            continue
