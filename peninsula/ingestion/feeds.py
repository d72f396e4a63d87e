"""RSS 0.9x/1.0/2.0, Atom (with feedparser) and JSON Feed items as import mappings.

feedparser decodes by the HTTP header and the XML prolog (GB2312, GBK, Big5, UTF-16 …) and
resolves relative links against xml:base; each item keeps the feed's name as its 来源 and its
link as 原文链接. An item is keyed by its GUID, or by its link when a GUID is missing, and one
whose link was imported before under another key updates that article. See docs/collection.md.
"""

import html
import json
from datetime import UTC, datetime

import feedparser

from peninsula.content.models import Article

from .pipeline import ItemError, external_key
from .wphtml import autop


class FeedError(ValueError):
    """Content that is not a feed at all; nothing was imported."""


def feed_items(body, *, url="", content_type=""):
    """(number, mapping or ItemError) for each item of an RSS or Atom feed (bytes)."""
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.version or (parsed.bozo and not parsed.entries):
        raise FeedError(f"not a feed: {parsed.get('bozo_exception') or 'no RSS or Atom found'}")
    feed = parsed.feed
    mappings = [
        _rss_entry(entry, feed.get("title", ""), feed.get("language")) for entry in parsed.entries
    ]
    return _numbered(_known_links(mappings))


def json_feed_items(body):
    """The same for a JSON Feed (version 1 or 1.1)."""
    try:
        feed = json.loads(body.decode("utf-8-sig") if isinstance(body, bytes) else body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"not a JSON Feed: {error}") from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise FeedError("not a JSON Feed: no list of items")
    mappings = [
        _json_entry(item, feed.get("title", ""), feed.get("language"))
        if isinstance(item, dict)
        else ItemError("an item must be a JSON object")
        for item in feed["items"]
    ]
    return _numbered(_known_links(mappings))


def _numbered(mappings):
    return list(enumerate(mappings, start=1))


def _rss_entry(entry, source_name, language):
    link = entry.get("link", "")
    content = entry.get("content") or []
    summary = entry.get("summary", "")
    if content:
        body = _html(content[0])
    elif summary:
        body, summary = _html(entry.get("summary_detail") or {"value": summary}), ""
    else:
        return ItemError(f"item {entry.get('id') or link or entry.get('title')!r} has no text")
    author = entry.get("author_detail", {}).get("name") or entry.get("author", "")
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    return _mapping(
        key=entry.get("id") or link,
        title=entry.get("title", ""),
        body=body,
        summary=summary,
        link=link,
        author=author,
        published_at=datetime(*moment[:6], tzinfo=UTC).isoformat() if moment else None,
        tags=[tag.get("term", "") for tag in entry.get("tags", []) if tag.get("term")],
        image=_rss_image(entry),
        source_name=source_name,
        language=language,
    )


def _json_entry(item, source_name, language):
    if item.get("content_html"):
        body = item["content_html"]
    elif item.get("content_text"):
        body = autop(html.escape(item["content_text"], quote=False))
    else:
        return ItemError(f"item {item.get('id')!r} has no content_html or content_text")
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    return _mapping(
        key=str(item.get("id") or item.get("url") or ""),
        title=item.get("title", ""),
        body=body,
        summary=item.get("summary", ""),
        link=item.get("url", ""),
        author=authors[0].get("name", "") if authors and isinstance(authors[0], dict) else "",
        published_at=item.get("date_published") or item.get("date_modified"),
        tags=item.get("tags") or [],
        image=item.get("image") or item.get("banner_image") or "",
        source_name=source_name,
        language=item.get("language") or language,
    )


def _mapping(*, key, title, body, summary, link, author, published_at, tags, image, **feed):
    mapping = {
        "external_id": external_key(key) if key else None,
        "title": title.strip(),
        "original_title": title.strip(),
        "body": body,
        "summary": summary,
        "source_url": link,
        "byline": author,
        "original_author": author,
        "published_at": published_at,
        "tags": tags,
        "image": image,
        **feed,
    }
    return {name: value for name, value in mapping.items() if value not in (None, "", [])}


def _html(detail):
    value = detail.get("value", "")
    if "html" in detail.get("type", "text/html"):
        return value
    return autop(html.escape(value, quote=False))


def _rss_image(entry):
    """The first image among Media RSS contents and thumbnails and the enclosures."""
    for media in (*entry.get("media_content", []), *entry.get("media_thumbnail", [])):
        if media.get("url") and media.get("medium", "image") == "image":
            return media["url"]
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/"):
            return link.get("href", "")
    return ""


def _known_links(mappings):
    """Point items whose link an article already has at that article's key (no duplicates)."""
    links = {m["source_url"] for m in mappings if isinstance(m, dict) and m.get("source_url")}
    known = dict(
        Article.objects.filter(source_url__in=links, external_id__isnull=False).values_list(
            "source_url", "external_id"
        )
    )
    for mapping in mappings:
        if isinstance(mapping, dict) and mapping.get("source_url") in known:
            mapping["external_id"] = known[mapping["source_url"]]
    return mappings
