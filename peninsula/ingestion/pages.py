"""A single article page: headline, body, author, time and lead image, without the clutter.

trafilatura finds the article among navigation, sidebars, comments, ads and footers; the page's
own metadata (Open Graph, article:published_time) is preferred where it is more exact, since
trafilatura keeps the day only. See docs/import-format.md and docs/decisions.md.
"""

import codecs
import re
import urllib.parse
from datetime import datetime

import lxml.html
import trafilatura
from charset_normalizer import from_bytes
from django.utils import timezone

from .pipeline import ItemError, external_key

# What Chinese sites declare, read as the superset browsers use (WHATWG Encoding Standard).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_TIME_META = ("article:published_time", "og:published_time", "pubdate", "publishdate")
_AUTHOR_META = ("author", "article:author", "byl")
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def page_item(body, *, url=None, charset=None):
    """The import mapping for the article page `body` (bytes) fetched from `url` (None for a
    file: then it has no 原文链接 and no key, and relative image addresses are dropped)."""
    text = decode_html(body, charset)
    document = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_images=True, include_links=True
    )
    html = trafilatura.extract(
        text,
        url=url,
        output_format="html",
        include_images=True,
        include_links=True,
        include_comments=False,
    )
    if document is None or not html:
        return ItemError("no article found on the page")
    meta = _meta(text)
    title = meta.get("og:title") or document.title or ""
    author = next((meta[name] for name in _AUTHOR_META if meta.get(name)), document.author)
    published = next((meta[name] for name in _TIME_META if meta.get(name)), None)
    lead = meta.get("og:image") or document.image
    image = urllib.parse.urljoin(url or "", lead) if lead else ""
    mapping = {
        "external_id": external_key(url) if url else None,
        "title": title,
        "original_title": title,
        "body": _article_body(html, title),
        "source_url": url or "",
        "source_name": meta.get("og:site_name") or "",
        "published_at": published or _day(document.date),
        "byline": author or "",
        "original_author": author or "",
        "image": image if image.startswith(("http://", "https://")) else "",
    }
    return {key: value for key, value in mapping.items() if value}


def decode_html(body, charset=None):
    """Text of an HTML page: the HTTP header's charset, else the page's meta, else a guess."""
    declared = charset or _meta_charset(body)
    if declared:
        name = _SUPERSETS.get(declared.lower(), declared)
        try:
            return body.decode(codecs.lookup(name).name, errors="replace")
        except LookupError:
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return str(from_bytes(body).best() or body.decode("utf-8", errors="replace"))


def _meta_charset(body):
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _meta(text):
    """The page's <meta> values by name or property, in lower case."""
    tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=_UTF8_PARSER)
    found = {}
    for element in tree.iter("meta"):
        name = (element.get("property") or element.get("name") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if name and content:
            found.setdefault(name, content)
    return found


def _article_body(html, title):
    """The extracted article's inner HTML, without the headline (the page shows its own)."""
    body = lxml.html.document_fromstring(html.encode("utf-8"), parser=_UTF8_PARSER).body
    heading = body.find("h1")
    if heading is not None and heading.text_content().strip() == title.strip():
        heading.drop_tree()
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in body)


def _day(date):
    """trafilatura's date (a day) as the start of that day in the site's zone, or None."""
    if not date:
        return None
    day = datetime.fromisoformat(date[:10])
    return timezone.make_aware(day, timezone.get_default_timezone()).isoformat()
