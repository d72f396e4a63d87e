"""What the template tags show (slots; an article's topics), read at once and kept in memory.

A page with any number of slots costs the same few queries, once per process until a purge
(`peninsula.core.memo`, forgotten whenever the page cache applies one) or the next moment an
entry starts or ends, whichever comes first. Values are plain and immutable, so a fragment
keyed by them is never stale (peninsula.core.fragments).
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Min, Q
from django.template.loader import select_template
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from peninsula.content.models import Article
from peninsula.core.jinja2 import JINJA2
from peninsula.core.memo import Memo

from .models import Slot, SlotEntry, TopicArticle

# Renditions a slot card uses: the lead and the carousel are wide, list cards small.
WIDE_SPEC = "fill-960x540-c80"
CARD_SPEC = "fill-480x270-c80"
SPECS = {Slot.LEAD: WIDE_SPEC, Slot.CAROUSEL: WIDE_SPEC, Slot.LIST: CARD_SPEC}
# Without a boundary coming, how long a worker keeps what it read (a purge forgets it sooner).
MEMO_SECONDS = 300

_memo = Memo(timeout=MEMO_SECONDS, max_entries=2)


@dataclass(frozen=True)
class Picture:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Item:
    pk: int
    title: str
    url: str
    language: str
    excerpt: str
    category_name: str
    category_url: str
    published_at: object
    picture: Picture | None


@dataclass(frozen=True)
class SlotView:
    kind: str
    name: str
    items: tuple
    template_name: str  # curation/slots/<key>.html if a designer made one, else <kind>.html
    digest: str  # of everything above: the rendered fragment's key, hashed once per load


EMPTY = SlotView("", "", (), "", "")


@dataclass(frozen=True)
class Shelf:
    slots: dict  # key -> SlotView
    valid_until: object  # the next start or end of an entry

    def get(self, key):
        return self.slots.get(key, EMPTY)


def shelf():
    """Every slot's current items, from memory when still valid."""
    value = _memo.get("shelf", load)
    if value.valid_until is not None and value.valid_until <= timezone.now():
        _memo.forget("shelf")
        value = _memo.get("shelf", load)
    return value


def forget():
    _memo.clear()


def topics_of(article_id):
    """((title, url), …) of the published topics the article is in: the article page's links,
    with no query once read (topics are few; a topic edit purges, which forgets this)."""
    return _memo.get("topics", _load_topics).get(article_id, ())


def _load_topics():
    by_article = {}
    memberships = (
        TopicArticle.objects.filter(topic__live=True)
        .select_related("topic")
        .only("article_id", "topic__title", "topic__slug")
        .order_by("topic__sort_order", "topic_id")
    )
    for membership in memberships:
        topic = membership.topic
        entry = (topic.title, topic.get_absolute_url())
        by_article.setdefault(membership.article_id, []).append(entry)
    return {pk: tuple(topics) for pk, topics in by_article.items()}


def load(now=None):
    """Read every slot with its current entries: a handful of queries whatever their number."""
    now = now or timezone.now()
    slots = {slot.pk: slot for slot in Slot.objects.all()}
    timely = list(
        SlotEntry.objects.in_window(now)
        .filter(slot_id__in=slots)
        .order_by("slot_id", "sort_order", "pk")
    )
    # The few articles named, through the one definition of what readers may see: a subquery
    # of every published article would cost more than the whole page.
    articles = (
        Article.objects.published()
        .filter(pk__in={entry.article_id for entry in timely})
        .select_related("category")
        .defer("body")
        .in_bulk()
    )
    entries = []
    for entry in timely:
        if entry.article_id in articles:
            entry.article = articles[entry.article_id]
            entries.append(entry)
    pictures = _pictures(entries, slots)
    items = {pk: [] for pk in slots}
    for entry in entries:
        slot = slots[entry.slot_id]
        if len(items[slot.pk]) < slot.limit:
            items[slot.pk].append(_item(entry, pictures.get(entry.pk)))
    return Shelf(
        slots={slot.key: _view(slot, tuple(items[pk])) for pk, slot in slots.items()},
        valid_until=_next_boundary(now),
    )


def _view(slot, items):
    names = [f"curation/slots/{slot.key}.html", f"curation/slots/{slot.kind}.html"]
    template_name = select_template(names, using=JINJA2).template.name
    shown = repr((slot.key, slot.kind, slot.name, template_name, items)).encode()
    digest = hashlib.blake2b(shown, digest_size=16).hexdigest()
    return SlotView(slot.kind, slot.name, items, template_name, digest)


def _item(entry, picture):
    article = entry.article
    return Item(
        pk=article.pk,
        title=entry.headline or article.title,
        url=article.get_absolute_url(),
        language=article.language,
        excerpt=article.excerpt,
        category_name=article.category.name,
        category_url=article.category.get_absolute_url(),
        published_at=article.published_at,
        picture=picture,
    )


def _pictures(entries, slots):
    """{entry id: Picture} for entries of slots with pictures, renditions read in one query."""
    wanted = {}
    for entry in entries:
        spec = SPECS.get(slots[entry.slot_id].kind)
        image_id = entry.image_id or entry.article.cover_image_id
        if spec and image_id:
            wanted[entry.pk] = (image_id, spec, entry.headline or entry.article.title)
    if not wanted:
        return {}
    images = (
        get_image_model()
        .objects.filter(pk__in={image_id for image_id, _spec, _alt in wanted.values()})
        .prefetch_renditions(*set(SPECS.values()))
        .in_bulk()
    )
    pictures = {}
    for entry_id, (image_id, spec, title) in wanted.items():
        image = images.get(image_id)
        if image is None:
            continue
        try:
            rendition = image.get_rendition(spec)
        except (SourceImageIOError, FileNotFoundError):
            continue
        alt = image.default_alt_text or title
        pictures[entry_id] = Picture(rendition.url, rendition.width, rendition.height, alt)
    return pictures


def _next_boundary(now):
    """When the next entry starts or ends: what readers see changes then."""
    later = SlotEntry.objects.filter(Q(starts_at__gt=now) | Q(ends_at__gt=now)).aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    times = [t for t in later.values() if t is not None]
    # Published articles appear at their publication time too; their purge forgets the memo.
    return min(times) if times else now + timedelta(seconds=MEMO_SECONDS)
