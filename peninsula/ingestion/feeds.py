"""RSS 0.9x/1.0/2.0, Atom (with feedparser) and JSON Feed items as import mappings.

feedparser decodes by the HTTP header and the XML prolog (GB2312, GBK, Big5, UTF-16 …) and
resolves relative links against xml:base; a feed declaring no encoding that is not UTF-8 is
decoded by charset-normalizer's guess first. Each item keeps the feed's name as its 来源 and its
link as 原文链接. An item is keyed by its GUID, or by its link when a GUID is missing; a GUID
that is not an absolute URI is scoped by the feed's address, so two feeds' item "2" stay two
articles. One whose link was imported before under another key updates that article.
See docs/collection.md.
"""

import html
import json
import re
from datetime import UTC, datetime

import feedparser
from charset_normalizer import from_bytes

from peninsula.content.models import Article
from peninsula.core.text import html_to_text

from .fetch import charset_of
from .pipeline import ItemError, Noted, external_key
from .records import fitted, language_tag, stand_in_title, type_name, web_address
from .wphtml import autop

# A numeric character reference, in any ASCII-compatible encoding.
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?\sencoding\s*=")
# RFC 3986: an absolute URI starts with a scheme (https:, urn:, tag: …), unique on its own.
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:.")


class FeedError(ValueError):
    """Content that is not a feed at all; nothing was imported."""


def feed_items(body, *, url="", content_type=""):
    """(number, mapping or ItemError) for each item of an RSS or Atom feed (bytes)."""
    parsed = _parsed(body, url=url, content_type=content_type)
    feed = parsed.feed
    site = feed.get("link") or url
    mappings = [
        _rss_entry(entry, feed.get("title", ""), language_tag(feed.get("language", "")), site)
        for entry in parsed.entries
    ]
    return _numbered(_known_links(mappings))


def feed_title(body, *, content_type=""):
    """The name an RSS or Atom feed gives itself, read as `feed_items` reads the feed."""
    return _parsed(body, url="", content_type=content_type).feed.get("title", "")


def json_feed_items(body, *, url=""):
    """The same for a JSON Feed (version 1 or 1.1)."""
    feed = _json_feed(body)
    title, language = _json_string(feed, "title"), _json_string(feed, "language")
    site = _json_string(feed, "home_page_url") or _json_string(feed, "feed_url") or url
    mappings = [
        _json_entry(item, title, language_tag(language), site)
        if isinstance(item, dict)
        else ItemError("an item must be a JSON object")
        for item in feed["items"]
    ]
    return _numbered(_known_links(mappings))


def json_feed_title(body):
    """The name a JSON Feed gives itself ("" when it gives none, or not as text)."""
    return _json_string(_json_feed(body), "title")


def _parsed(body, *, url, content_type):
    """feedparser's reading of a feed; raises FeedError for what is not one."""
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    body = _valid_charrefs(_decodable(body, charset_of(content_type)))
    try:
        parsed = feedparser.parse(body, response_headers=headers)
    except Exception as error:  # feedparser's lenient parser meets input it did not foresee
        raise FeedError(f"the feed could not be read ({type(error).__name__}: {error})") from None
    if not parsed.version or (parsed.bozo and not parsed.entries):
        raise FeedError(f"not a feed: {parsed.get('bozo_exception') or 'no RSS or Atom found'}")
    return parsed


def _json_feed(body):
    try:
        feed = json.loads(body.decode("utf-8-sig") if isinstance(body, bytes) else body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"not a JSON Feed: {error}") from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise FeedError("not a JSON Feed: no list of items")
    return feed


def _decodable(body, charset):
    """The feed as UTF-8 when it declares no encoding (no BOM, prolog or HTTP charset) and is
    not UTF-8: feedparser would read it as windows-1252, turning GB2312 or Big5 into mojibake."""
    if charset or body.startswith(_BOMS) or _XML_ENCODING.match(body[:1024]):
        return body
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        guess = from_bytes(body).best()
        return str(guess).encode("utf-8") if guess else body
    return body


def _valid_charrefs(body):
    """The feed with references to no character (beyond U+10FFFF, or surrogates) made U+FFFD:
    feedparser's lenient parser calls chr() on them and fails."""

    def valid(match):
        hexadecimal, decimal = match.groups()
        # Nine significant digits are out of range already; more would only cost time.
        digits = (hexadecimal or decimal).lstrip(b"0")[:9] or b"0"
        code = int(digits, 16 if hexadecimal else 10)
        return match[0] if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"

    return _CHARREF.sub(valid, body)


def _numbered(mappings):
    return list(enumerate(mappings, start=1))


def _rss_entry(entry, source_name, language, site):
    # feedparser takes a GUID without isPermaLink="false" as the link, even a tag: URI; a
    # relative link is the channel's (`_mapping`).
    link = entry.get("link", "")
    link = "" if _ABSOLUTE_URI.match(link) and not link.startswith(("http:", "https:")) else link
    content = entry.get("content") or []
    summary = entry.get("summary", "")
    if content:
        body = _html(content[0])
        # feedparser copies the content into the summary of an item without a description.
        summary = "" if _same_text(summary, body) else summary
    elif summary:
        body, summary = _html(entry.get("summary_detail") or {"value": summary}), ""
    else:
        return ItemError(f"{_named(entry.get('id') or link)} has no text (no content or summary)")
    author = entry.get("author_detail", {}).get("name") or entry.get("author", "")
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    given = entry.get("published") or entry.get("updated")
    unread = given and not moment
    return _mapping(
        key=_scoped(entry.get("id") or link, site),
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
        site=site,
        warnings=[f"date {given!r} could not be read; imported without a date"] if unread else [],
    )


def _json_entry(item, source_name, language, site):
    if wrong := _wrong_json_type(item):
        return ItemError(wrong)
    if item.get("content_html"):
        body = item["content_html"]
    elif item.get("content_text"):
        body = autop(html.escape(item["content_text"], quote=False))
    else:
        return ItemError(
            f"{_named(item.get('id') or item.get('url'))} has no content_html or content_text"
        )
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    return _mapping(
        key=_scoped(str(item.get("id") or item.get("url") or ""), site),
        title=item.get("title") or "",
        body=body,
        summary=item.get("summary", ""),
        link=item.get("url", ""),
        author=authors[0].get("name") or "" if authors else "",
        published_at=item.get("date_published") or item.get("date_modified"),
        tags=item.get("tags") or [],
        image=item.get("image") or item.get("banner_image") or "",
        source_name=source_name,
        language=item.get("language") or language,
        site=site,
    )


def _mapping(
    *, key, title, body, summary, link, author, published_at, tags, image, site, warnings=(), **feed
):
    """The item's import mapping, `Noted` with `warnings` and any of its own: a link or picture
    that is no web address (even read against the feed's site, as a browser reads it) is left
    out with a warning."""
    warnings = list(warnings)
    addresses = {"link": link, "image": image}
    for name, given in addresses.items():
        addresses[name] = web_address(given, site)
        if given and not addresses[name]:
            warnings.append(f"{name} {given!r} is not a web address; imported without it")
    link, image = addresses["link"], addresses["image"]
    mapping = {
        "external_id": external_key(key) if key else None,
        "title": title.strip() or stand_in_title(body),
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
    mapping = fitted(
        {name: value for name, value in mapping.items() if value not in (None, "", [])}
    )
    return Noted(mapping, warnings) if warnings else mapping


# JSON Feed 1.1's types for the keys read; an id is often a number, which is read as its text.
_JSON_STRINGS = (
    *("id", "url", "title", "summary", "content_html", "content_text", "image"),
    *("banner_image", "date_published", "date_modified", "language"),
)


def _wrong_json_type(item):
    """The reason an item cannot be read when a key it uses holds the wrong JSON type."""
    for key in _JSON_STRINGS:
        value = item.get(key)
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            continue
        if value is not None and not isinstance(value, str):
            return f"{key} must be a string, not {type_name(value)}"
    tags = item.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        return "tags must be a list of strings"
    authors = item.get("authors")
    if authors is not None and not (
        isinstance(authors, list) and all(isinstance(a, dict) for a in authors)
    ):
        return "authors must be a list of objects"
    if item.get("author") is not None and not isinstance(item["author"], dict):
        return f"author must be an object, not {type_name(item['author'])}"
    return None


def _json_string(feed, key):
    """A feed-level string, or "" when it is missing or of another type (then unused)."""
    value = feed.get(key)
    return value if isinstance(value, str) else ""


def _named(key):
    """How a reason names an item (the report already gives its number)."""
    return f"item {key!r}" if key else "the item"


def _scoped(key, site):
    """An item's key as its external_id: a GUID such as "2" is unique only within its feed,
    so it is prefixed with the feed's address; an absolute URI is kept as it is."""
    key = key.strip()
    if not key or not site or _ABSOLUTE_URI.match(key):
        return key
    return f"{site} {key}"


def _same_text(summary, body):
    return html_to_text(summary).split() == html_to_text(body).split()


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
