"""Which importer reads a file or a fetched page, judged from its first bytes, not its name.

An export renamed .txt still imports, and a feed served as text/html is still read as a feed.
See docs/import-format.md.
"""

import json
import re

JSONL, JSON_FEED, WORDPRESS, FEED, HTML = "jsonl", "jsonfeed", "wordpress", "feed", "html"
FORMATS = (JSONL, JSON_FEED, WORDPRESS, FEED, HTML)
HEAD_BYTES = 8192
EXTENSIONS = {
    ".jsonl": JSONL,
    ".ndjson": JSONL,
    ".json": JSON_FEED,
    ".html": HTML,
    ".htm": HTML,
    ".rss": FEED,
    ".atom": FEED,
}

_WXR = re.compile(r"<wp:wxr_version|xmlns:wp=\"https?://wordpress\.org/export/")
_FEED = re.compile(r"<(?:[\w-]+:)?(?:rss|RDF|feed)[\s>]")
_HTML = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


class UnknownFormat(ValueError):
    """Nothing in the content says what it is."""


def detect_format(head, *, suffix=""):
    """The format of content starting with the bytes `head` (`HEAD_BYTES` are plenty)."""
    text = _peek(head).lstrip()
    if text.startswith(("{", "[")):
        return JSON_FEED if "jsonfeed.org/version" in text or _one_document(text) else JSONL
    if text.startswith("<"):
        if _WXR.search(text):
            return WORDPRESS
        # An XML prolog or a comment may come first; a feed's root is what follows.
        if _FEED.search(text) and not _HTML.search(text):
            return FEED
        if _HTML.search(text):
            return HTML
    if suffix.lower() in EXTENSIONS:
        return EXTENSIONS[suffix.lower()]
    raise UnknownFormat("not JSON Lines, a WordPress export, an RSS/Atom/JSON feed or an HTML page")


def _one_document(text):
    """Whether JSON spreads one value over many lines (a feed without its version, pretty-printed):
    a JSON Lines file's first line is a whole value. A first line longer than the head is
    taken for one."""
    first, newline, _rest = text.partition("\n")
    if not newline:
        return False
    try:
        json.loads(first)
    except ValueError:
        return True
    return False


def _peek(head):
    """Enough of the start as text to see markers, whatever the (ASCII-compatible or UTF-16)
    encoding; the real decoding is each importer's."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16-le" if head[0] else "utf-16-be", errors="ignore")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
