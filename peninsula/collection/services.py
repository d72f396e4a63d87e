"""Adding sources and polling them: each poll fetches, reads and imports through the import's
one pipeline, catches duplicates, and is logged whatever happens. See docs/collection.md."""

import hashlib
import json
import logging
import re
import time
import urllib.parse
from datetime import timedelta

import lxml.html
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from peninsula.content import fingerprint
from peninsula.content.models import Article, Category
from peninsula.content.services import category_ensure_path
from peninsula.ingestion import detect
from peninsula.ingestion.feeds import (
    FeedError,
    feed_items,
    feed_title,
    json_feed_items,
    json_feed_title,
)
from peninsula.ingestion.fetch import charset_of
from peninsula.ingestion.pages import base_address, decode_html, page_item
from peninsula.ingestion.pipeline import ItemError, ItemPipeline, external_key
from peninsula.screening.articles import words_to_review

from .fetching import CollectError, fetch, image_fetcher, robots_allow
from .models import Feed, Item, Poll

log = logging.getLogger(__name__)

# Followed from a list page when the source gives no pattern: an address with a number in its
# path (an id or a date) or ending in .html, as article addresses of news sites have, or a
# script given an id (DedeCMS's view.php?aid=12, EmpireCMS's ShowInfo.php?classid=1&id=2).
ARTICLE_LINK = re.compile(r"\d|\.s?html?$")
_SCRIPT = re.compile(r"\.(?:php|aspx?|jsp)$", re.IGNORECASE)
_ID_PARAMETER = re.compile(r"(?:^|&)\w*id=\d", re.IGNORECASE)
# A list page's own pages, not articles: index_2.html, list_3.shtml, default.aspx, /page/2/.
LIST_LINK = re.compile(
    r"(?:^|/)(?:index|default|list|more)(?:[_-]\d+)?\.(?:s?html?|php|aspx?|jsp)(?:\?|$)"
    r"|/page/\d+/?(?:\?|$)|\?(?:page|p|pn)=\d+$",
    re.IGNORECASE,
)
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
POLL_STATE = [
    *("etag", "last_modified", "next_poll_at", "last_polled_at", "last_status", "last_error"),
    "failures",
]


def source_probe(url, *, guarded):
    """(kind, name) of the source at `url`, fetched once; raises CollectError."""
    answer = fetch(url, guarded=guarded)
    try:
        kind = detect.detect_format(answer.body[: detect.HEAD_BYTES])
    except detect.UnknownFormat:
        kind = None
    if kind in (detect.FEED, detect.JSON_FEED):
        try:
            if kind == detect.JSON_FEED:
                name = json_feed_title(answer.body)
            else:
                name = feed_title(answer.body, content_type=answer.content_type)
        except FeedError as error:
            raise CollectError(f"{url}: {error}", answer.status) from None
        return Feed.Kind.FEED, str(name)[:200]
    if kind == detect.HTML:
        tree = _html_tree(decode_html(answer.body, charset_of(answer.content_type)))
        return Feed.Kind.PAGE, (tree.findtext(".//title") or "").strip()[:200]
    raise CollectError(f"{url}: neither a feed nor an HTML page", answer.status)


def feed_add(*, url, category, every, review=False, editor="", name="", guarded=True):
    """A new source, its kind and name read from the address; raises CollectError."""
    kind, found = source_probe(url, guarded=guarded)
    with transaction.atomic():
        if not isinstance(category, Category):
            category = category_ensure_path(path=category)
        return Feed.objects.create(
            url=url,
            name=name or found,
            kind=kind,
            category=category,
            every=every,
            review=review,
            editor=editor,
            guarded=guarded,
        )


def feeds_collect_due(*, budget, now=None):
    """Poll due sources, oldest first, until none is due or `budget` seconds have passed;
    a poll under way when time runs out ends within its fetch timeout."""
    deadline = time.monotonic() + budget
    Poll.objects.filter(
        started_at__lt=(now or timezone.now()) - timedelta(days=settings.COLLECTION_LOG_DAYS)
    ).delete()
    polls = []
    while time.monotonic() < deadline:
        feed = _claim_due(now)
        if feed is None:
            break
        polls.append(feed_poll(feed=feed))
    return polls


def _claim_due(now):
    """The next due source, taken so that another collector does not poll it too."""
    now = now or timezone.now()
    for feed in Feed.objects.due(now).select_related("category")[:20]:
        lease = now + timedelta(minutes=feed.every)
        if Feed.objects.filter(pk=feed.pk, next_poll_at=feed.next_poll_at).update(
            next_poll_at=lease
        ):
            return feed
    return None


def feed_poll(*, feed):
    """Poll one source now and log it; a failure backs the source off instead of raising."""
    poll = Poll(feed=feed, started_at=timezone.now())
    clock = time.monotonic()
    try:
        if not robots_allow(feed.url, guarded=feed.guarded):
            raise CollectError(f"{feed.url}: robots.txt forbids collecting it")
        answer = fetch(feed.url, guarded=feed.guarded, etag=feed.etag, modified=feed.last_modified)
        poll.status = answer.status
        if answer.status != 304:
            _import(feed, _entries(feed, answer, poll), poll)
            feed.etag = answer.headers.get("etag", "")[:500]
            feed.last_modified = answer.headers.get("last-modified", "")[:100]
        poll.ok = True
    except (CollectError, FeedError, detect.UnknownFormat) as error:
        poll.status = getattr(error, "status", None) or poll.status
        poll.errors = _lines(str(error), poll.errors)
    except Exception as error:  # a poll must never stop the others; the trace goes to the log
        log.exception("Collecting %s failed", feed.url)
        poll.errors = _lines(f"{type(error).__name__}: {error}", poll.errors)
    poll.seconds = round(time.monotonic() - clock, 3)
    feed.record_poll(poll)
    with transaction.atomic():
        poll.save()
        # Only what the poll decides: an editor may have changed the rest meanwhile.
        feed.save(update_fields=POLL_STATE)
    return poll


def _lines(*texts):
    return "\n".join(text for text in texts if text)


# Reading a source's answer into (number, key, mapping or ItemError) entries -------------------


def _entries(feed, answer, poll):
    if feed.kind == Feed.Kind.PAGE:
        return _page_entries(feed, answer, poll)
    head = answer.body[: detect.HEAD_BYTES]
    if detect.detect_format(head) == detect.JSON_FEED:
        items = json_feed_items(answer.body, url=answer.url)
    else:
        items = feed_items(answer.body, url=answer.url, content_type=answer.content_type)
    entries = []
    for number, item in items:
        if isinstance(item, dict) and not item.get("external_id"):
            # Neither GUID nor link: the text is what stays the same from one poll to the next.
            item["external_id"] = external_key("sha1:" + _digest(item))
        key = item["external_id"] if isinstance(item, dict) else f"#{number}"
        entries.append((number, key, item))
    return entries


def _page_entries(feed, answer, poll):
    """The article pages a list page links to and this source has not collected yet."""
    text = decode_html(answer.body, charset_of(answer.content_type))
    links = article_links(text, answer.url, feed.link_pattern)
    keys = {external_key(link): link for link in links}
    seen = set(Item.objects.filter(feed=feed, key__in=keys).values_list("key", flat=True))
    poll.skipped += len(seen)
    fresh = [(key, link) for key, link in keys.items() if key not in seen]
    entries = []
    for number, (key, link) in enumerate(fresh[: settings.COLLECTION_PAGES_PER_POLL], start=1):
        try:
            if not robots_allow(link, guarded=feed.guarded):
                raise CollectError(f"{link}: robots.txt forbids collecting it")
            page = fetch(link, guarded=feed.guarded)
        except CollectError as error:
            entries.append((number, key, ItemError(str(error))))
            continue
        item = page_item(page.body, url=page.url, charset=charset_of(page.content_type))
        if isinstance(item, dict):
            canonical = _canonical(page.body, page.url, charset_of(page.content_type))
            item.update(external_id=external_key(canonical), source_url=canonical)
        entries.append((number, key, item))
    return entries


def article_links(text, base_url, pattern=""):
    """Addresses of the article links of a list page, in page order, each once: those matching
    `pattern`, else the site's own that look like an article's (ARTICLE_LINK, or a script
    given an id), less the list's own pages (its pagination, its index)."""
    site = urllib.parse.urlsplit(base_url).netloc
    rule = re.compile(pattern) if pattern else None
    tree = _html_tree(text)
    against = base_address(tree, base_url)
    found = {}
    for element in tree.iter("a"):
        href = (element.get("href") or "").strip()
        url = urllib.parse.urldefrag(urllib.parse.urljoin(against, href)).url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or url == base_url:
            continue
        if rule.search(url) if rule else parts.netloc == site and _article_address(parts):
            found.setdefault(url, None)
    return list(found)


def _article_address(parts):
    target = parts.path + ("?" + parts.query if parts.query else "")
    if LIST_LINK.search(target):
        return False
    return bool(
        ARTICLE_LINK.search(parts.path)
        or (_SCRIPT.search(parts.path) and _ID_PARAMETER.search(parts.query))
    )


def _canonical(body, url, charset):
    """The page's <link rel="canonical">, else the address it was fetched from."""
    tree = _html_tree(decode_html(body, charset))
    for element in tree.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            href = urllib.parse.urljoin(base_address(tree, url), element.get("href").strip())
            if href.startswith(("http://", "https://")):
                return href
    return url


def _html_tree(text):
    return lxml.html.document_fromstring(text.encode("utf-8") or b"<html/>", parser=_UTF8_PARSER)


def _digest(item):
    return hashlib.sha1(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()


# Importing entries: exact and near duplicates, review, the pipeline, the items' records ---------


def _import(feed, entries, poll):
    mappings = [e for e in entries if isinstance(e[2], dict)]
    known = {
        i.key: i
        for i in Item.objects.filter(
            feed=feed, key__in=[key for _, key, _ in mappings]
        ).select_related("article")
    }
    exact = _exact_matches([m for _, key, m in mappings if key not in known])
    recent = _RecentFingerprints()
    pipeline = ItemPipeline(
        category=feed.category_path, fetcher=image_fetcher(feed.guarded), unit="item"
    )
    written = []  # (number, key, external_id, digest, is new, duplicate of, similarity)
    held = []  # log lines of the items drafted for their listed words
    for number, key, item in entries:
        if isinstance(item, ItemError):
            pipeline.add(number, item)
            continue
        digest = _digest(item)
        row = known.get(key)
        if row is not None:
            if _leave_alone(feed, row, digest):
                poll.skipped += 1
                continue
            item = _as_draft(item) if feed.review or row.duplicate_of_id else item
            written.append((number, key, item["external_id"], digest, False, None, None))
        else:
            match = exact.get(item["external_id"]) or exact.get(item.get("source_url"))
            if match is not None:
                Item.objects.get_or_create(
                    feed=feed,
                    key=key,
                    defaults={"article_id": match, "duplicate_of_id": match, "similarity": 1.0},
                )
                poll.skipped += 1
                poll.duplicates += 1
                continue
            hashed = Article.fingerprint_for(
                **{name: item.get(name) or "" for name in ("title", "summary", "byline", "body")}
            )
            near = None if hashed is None else fingerprint.nearest(hashed, recent.all())
            of, similarity = (None, None) if near is None else (near[1], 1 - near[0] / 64)
            if near is not None:
                poll.duplicates += 1
            if feed.review or near is not None:
                item = _as_draft(item)
            if hashed is not None:
                recent.append((hashed, ("pending", item["external_id"])))
            written.append((number, key, item["external_id"], digest, True, of, similarity))
        if words := words_to_review(item):  # screened only when it is written
            item = _as_draft(item)
            held.append(f"item {number}: holds listed words ({'、'.join(words)}); left a draft")
        if feed.editor and not item.get("editor"):
            item = {**item, "editor": feed.editor}
        pipeline.add(number, item)
    report = pipeline.finish()
    result = report.result
    poll.new += result.created
    poll.updated += result.updated
    poll.failed += result.failed
    poll.errors = _lines(
        poll.errors,
        *(f"item {e.line}: {e.reason}" for e in (*result.errors, *report.warnings)),
        *held,
    )
    _record_items(feed, written, failed={e.line for e in result.errors})


class _RecentFingerprints:
    """The fingerprints of the articles written lately, whichever way (the admin, an import,
    collection), read once a poll has a new item."""

    def __init__(self):
        self._known = None

    def all(self):
        if self._known is None:
            self._known = list(recent_fingerprints())
        return self._known

    def append(self, pair):
        self.all().append(pair)


def recent_fingerprints(*, now=None):
    """(fingerprint, article id) of the articles created or published in the last
    COLLECTION_DUPLICATE_DAYS: each of the two reads one index range."""
    since = (now or timezone.now()) - timedelta(days=settings.COLLECTION_DUPLICATE_DAYS)
    fingerprinted = Article.objects.filter(simhash__isnull=False)
    return (
        fingerprinted.filter(created_at__gte=since)
        .values_list("simhash", "pk")
        .union(fingerprinted.filter(published_at__gte=since).values_list("simhash", "pk"))
    )


def _leave_alone(feed, row, digest):
    """An item seen before is not imported again when unchanged, when an editor deleted its
    article, when it duplicates another source's article exactly, or when an editor published
    it after review (the editor's version stands)."""
    if row.digest == digest or row.article is None or row.article_id == row.duplicate_of_id:
        return True
    return bool(feed.review or row.duplicate_of_id) and row.article.live


def _as_draft(item):
    return {**item, "status": "draft"}


def _exact_matches(mappings):
    """Article ids of stories already here under the same GUID or canonical address."""
    ids = {m["external_id"] for m in mappings}
    links = {m["source_url"] for m in mappings if m.get("source_url")}
    found = {}
    for pk, external_id, link in Article.objects.filter(
        Q(external_id__in=ids) | Q(source_url__in=links)
    ).values_list("pk", "external_id", "source_url"):
        if external_id in ids:
            found.setdefault(external_id, pk)
        if link in links:
            found.setdefault(link, pk)
    return found


def _record_items(feed, written, *, failed):
    """Remember what each imported item became, for the next poll and for editors."""
    stored = [w for w in written if w[0] not in failed]
    articles = dict(
        Article.objects.filter(external_id__in={w[2] for w in stored}).values_list(
            "external_id", "pk"
        )
    )

    def article_of(reference):
        if isinstance(reference, tuple):
            return articles.get(reference[1])
        return reference

    with transaction.atomic():
        for _number, key, external_id, digest, new, of, similarity in stored:
            values = {"article_id": articles.get(external_id), "digest": digest}
            if new:
                values.update(duplicate_of_id=article_of(of), similarity=similarity)
            Item.objects.update_or_create(feed=feed, key=key, defaults=values)
