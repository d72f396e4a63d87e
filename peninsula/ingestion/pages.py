"""A single article page: headline, body, author, time and lead image, without the clutter.

trafilatura finds the article among navigation, sidebars, comments, ads and footers; the page's
own metadata (schema.org JSON-LD, Open Graph, article:published_time) is preferred where it is
more exact, since trafilatura keeps the day only. See docs/collection.md ("Single pages").
"""

import codecs
import html as htmllib
import json
import re
import urllib.parse
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import lxml.etree
import lxml.html
import trafilatura
from charset_normalizer import from_bytes
from dateutil import parser as dateutil_parser
from django.utils import timezone

from .pipeline import ItemError, external_key
from .records import fitted, in_range, language_tag, web_address

# What Chinese sites declare, read as the superset browsers use (WHATWG Encoding Standard).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
# The page's <meta> names for each fact, in the order they are believed (Readability's order,
# with the names Chinese sites use): Dublin Core, then Open Graph, then the rest.
_TITLE_META = (
    "dc:title",
    "dcterm:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely:title",
)
_AUTHOR_META = (
    "dc:creator",
    "dcterm:creator",
    "author",
    "parsely:author",
    "article:author",
    "og:article:author",
    "byl",
)
_TIME_META = (
    "article:published_time",
    "parsely:pub-date",
    "og:published_time",
    "weibo:article:create_at",
    "pubdate",
    "publishdate",
)
_LANGUAGE_META = ("content-language", "og:locale")
# DC.title, dcterms:title and parsely-title name what dc:title, dcterm:title and parsely:title do.
_META_PREFIX = re.compile(r"^(dc|dcterms?|og|twitter|parsely|weibo)\s*[-.:]\s*", re.IGNORECASE)
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_TEXT_READ = 200_000  # characters of the page's text searched for its time and 来源
# Where lazy-loading scripts keep a picture's address (WeChat, jQuery lazyload, lazysizes, …).
_LAZY_SOURCES = (
    *("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-echo"),
    *("data-lazyload", "data-original-src", "data-url"),
)
_PLACEHOLDER = re.compile(
    r"blank|gr[ae]y|loading|placeholder|lazy|spacer|pixel|transparent|1x1|\.gif(?:\?|$)",
    re.IGNORECASE,
)
_PICTURE_MARK = "https://picture.invalid/"  # .invalid: no address of a real picture (RFC 2606)
# What separates a headline from the site's name in a <title> or og:title: 标题_滨海日报网,
# Headline | CNN Politics, Headline - BBC, Titular » Local.
_SEPARATOR = re.compile(r"\s*(?:[|｜_»·•–—:：/\\]|--?|\s-\s)\s*")
# What separates the sections of a trail after a headline: spaced (a headline may hold AC/DC or
# COVID-19), but for the underscore and the full-width bar that Chinese sites write unspaced.
_TRAIL = re.compile(r"\s+[|»>/\\·•–—-]\s+|\s*[_｜]\s*")
# A time as a page's info line states it: 2024-09-22 01:36:59, 2018年6月18日 10:01.
_TIME_IN_TEXT = re.compile(
    r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?"
)
# 来源：新华网, as Chinese news pages credit the paper they carry an article from.
_SOURCE_IN_TEXT = re.compile(r"来源\s*[:：]\s*([^\s\d|｜:：,，。;；()（）<>]{2,30})")
# Two defaults that differ in every part of a date: a part the text lacks shows as a difference.
_DEFAULT_DAYS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
# Zone abbreviations news pages write after a time, in seconds east of UTC. CST and IST name
# two zones each (China's and America's, India's and Ireland's) and are taken as the site's.
_ZONE_HOURS = {
    **dict.fromkeys(("UTC", "GMT", "Z"), 0),
    **{"EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7},
    **{"BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3},
    **{"HKT": 8, "SGT": 8, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11},
}
_ZONES = {name: hours * 3600 for name, hours in _ZONE_HOURS.items()}
_HAS_TIME = re.compile(r"\d:\d\d|T\d{4}")  # 13:42, or ISO 8601's basic T055000
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2\d)\d\d(?!\d)")
# A profile's address, not a name: https://…, //…, www.…, facebook.com/… (Reuters/AP is a name).
_ADDRESS = re.compile(r"^(?:https?:)?//|^www\.|^[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# A WeChat article (mp.weixin.qq.com) states its time only in its script, as Unix seconds
# (`var ct = "1700188320";`, `var oriCreateTime = '…'`), and its account (公众号), the paper it
# is collected from, in its #js_name; its og:site_name is the platform's, 微信公众平台.
_SCRIPT_TIME = re.compile(r"""\bvar\s+(?:ct|oriCreateTime)\s*=\s*["']?(\d{9,11})\b""")
_SCRIPT_ACCOUNT = re.compile(
    r"""\bvar\s+nickname\s*=\s*(?:htmlDecode\()?\s*["']([^"'\n]{1,60})["']"""
)


def page_item(body, *, url=None, charset=None):
    """The import mapping for the article page `body` (bytes) fetched from `url` (None for a
    file: then it has no 原文链接 and no key, and relative image addresses are dropped)."""
    text = decode_html(body, charset)
    page = _Page.read(text, url)
    base = page.base
    # trafilatura's guesses at the metadata fail whole on one bad value (a time 25 hours east
    # of UTC), where the page's own reading passes over that value: then it is asked for the
    # article alone.
    document = trafilatura.bare_extraction(
        text, url=base, with_metadata=True, include_images=True, include_links=True
    ) or trafilatura.bare_extraction(text, url=base, include_images=True, include_links=True)
    if document is None:
        return ItemError("no article found on the page")
    marked, pictures = _marked_pictures(text)
    # Addresses are left as written and resolved here: trafilatura resolves a link against the
    # site's root (a.html on /news/1.html as /a.html), where a browser resolves it on the page.
    html = trafilatura.extract(
        marked,
        url=None,
        output_format="html",
        include_images=True,
        include_links=True,
        include_comments=False,
    )
    if not html:
        return ItemError("no article found on the page")
    title = _headline(page, document.title or page.title)
    author = _author(page, document.author)
    lead = page.meta.get("og:image") or document.image
    mapping = {
        "external_id": external_key(url) if url else None,
        "title": title,
        "original_title": title,
        "body": _article_body(html, title, base, pictures),
        "source_url": url or "",
        "source_name": _source_name(page),
        "published_at": _published(page, document.date),
        "byline": author,
        "original_author": author,
        "image": web_address(lead, base),
        "language": _language(page),
    }
    return fitted({key: value for key, value in mapping.items() if value})


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


@dataclass
class _Page:
    """What the page says of itself: its <meta> values by name or property (in lower case; a
    property may hold several names), its schema.org article (JSON-LD), its language attribute,
    its <title>, its <h1> headings, its text and the address its links are read against."""

    every: dict  # each meta name's values, in the page's order (<meta name="author"> twice)
    linked: dict
    lang: str
    title: str
    headings: list
    text: str
    base: str | None
    stamp: int | None  # the time its script states (_SCRIPT_TIME)
    account: str  # the account it is published by (_SCRIPT_ACCOUNT)

    @cached_property
    def meta(self):
        """Each meta name's first value."""
        return {name: values[0] for name, values in self.every.items()}

    @classmethod
    def read(cls, text, url):
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=_UTF8_PARSER)
        every = {}
        for attribute in ("property", "name", "http-equiv"):  # a property is the more exact
            for element in tree.iter("meta"):
                content = (element.get("content") or "").strip()
                for name in (element.get(attribute) or "").lower().split() if content else ():
                    values = every.setdefault(_META_PREFIX.sub(_prefixed, name), [])
                    if content not in values:
                        values.append(content)
        title = _squeeze(next((e.text_content() for e in tree.iter("title")), ""))
        headings = [_squeeze(heading.text_content()) for heading in tree.iter("h1")]
        linked = _linked_article(tree)
        scripts = "\n".join(script.text or "" for script in tree.iter("script"))
        stated = _SCRIPT_TIME.search(scripts)
        named = tree.get_element_by_id("js_name", None)
        account = _squeeze(named.text_content()) if named is not None else ""
        if not account:
            found = _SCRIPT_ACCOUNT.search(scripts)
            account = _squeeze(htmllib.unescape(found.group(1))) if found else ""
        body = tree.find("body")
        text = ""
        if body is not None:
            lxml.etree.strip_elements(body, "script", "style", "noscript", with_tail=False)
            text = "\n".join(body.itertext())[:_TEXT_READ]  # blocks apart: 新华网 | 会谈
        base = base_address(tree, url)
        lang = tree.get("lang") or ""
        stamp = int(stated.group(1)) if stated else None
        return cls(every, linked, lang, title, headings, text, base, stamp, account)


def _prefixed(found):
    prefix = found.group(1).lower()
    return ("dcterm" if prefix == "dcterms" else prefix) + ":"


def _linked_article(tree):
    """The first schema.org Article (NewsArticle, BlogPosting, …) of the page's JSON-LD, or {}:
    a list of objects and a @graph are looked into; a block that is not JSON is passed over."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        found = _article_node(data, depth=0)
        if found:
            return found
    return {}


def _article_node(data, *, depth):
    if depth > 3:
        return None
    if isinstance(data, list):
        return next(filter(None, (_article_node(x, depth=depth + 1) for x in data)), None)
    if not isinstance(data, dict):
        return None
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(
        isinstance(kind, str) and kind.endswith(("Article", "BlogPosting", "Posting"))
        for kind in kinds
    ):
        return data
    return _article_node(data.get("@graph"), depth=depth + 1)


def _headline(page, extracted):
    """The article's headline without the site's name that a <title> or og:title adds."""
    candidates = [_text(page.linked.get("headline")), _text(page.linked.get("name"))]
    candidates += [page.meta.get(name) for name in _TITLE_META] + [extracted]
    for candidate in candidates:
        title = _squeeze(candidate or "")
        if title:
            return _without_site(title, page)
    return ""


def _without_site(title, page):
    """`title` less a trailing "| Site": cut where one of the page's <h1> headings ends (the
    rest being shorter than half of it), else where the rest begins the site's name or the
    site's name begins it."""
    for heading in page.headings:
        rest = title[len(heading) :]
        if (
            len(heading) >= 4
            and title.startswith(heading)
            and _SEPARATOR.match(rest)
            and len(rest) < len(heading) / 2
        ):
            return heading
    sites = [
        _squeeze(name).casefold()
        for name in (page.meta.get("og:site_name"), _name(page.linked.get("publisher")))
        if name
    ]
    separators = list(_SEPARATOR.finditer(title))
    last = separators[-1] if separators else None
    if last is None or not last.start():
        return title
    rest = title[last.end() :].casefold()
    if len(rest) >= 3 and any(rest.startswith(site) or site.startswith(rest) for site in sites):
        return title[: last.start()]
    return _without_trail(title)


def _without_trail(title):
    """`title` less a trail of sections after it (`Titular » Local » Noticias » Diario`,
    `标题_国际新闻_滨海日报网`): one separator twice or more, and the part before it longer than
    all the parts after it together."""
    kinds = {}
    for found in _TRAIL.finditer(title):
        kinds.setdefault(found.group().strip(), []).append(found)
    for separators in kinds.values():
        first = separators[0]
        rest = len(title) - first.end() - sum(len(s.group()) for s in separators[1:])
        if len(separators) >= 2 and first.start() > rest:
            return title[: first.start()]
    return title


def _author(page, extracted):
    """The byline: the JSON-LD article's authors, else the page's author meta (each of a
    repeated one), else what trafilatura found; a profile's address (article:author often is
    one) is not a name."""
    names = _names(page.linked.get("author"))
    if names:
        return _joined(names)
    for meta_name in _AUTHOR_META:
        values = [_squeeze(value) for value in page.every.get(meta_name, ())]
        names = [value for value in values if value and not _ADDRESS.match(value)]
        if names:
            return _joined(names)
    names = [name for name in (extracted or "").split("; ") if not _ADDRESS.match(name)]
    return _joined(names)


def _names(value):
    values = value if isinstance(value, list) else [value]
    names = [_name(item) for item in values[:20]]
    return [name for name in names if name and not _ADDRESS.match(name)]


def _name(value):
    """A schema.org Person's or Organization's name, given as text or as an object."""
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _joined(names):
    return ("、" if all(_CJK.search(name) for name in names) else ", ").join(names)


def _source_name(page):
    """The name of the paper the page is from: a WeChat article's account, else og:site_name,
    the JSON-LD article's publisher, else the 来源 its text states."""
    named = page.account or page.meta.get("og:site_name") or _name(page.linked.get("publisher"))
    if named:
        return named
    found = _SOURCE_IN_TEXT.search(page.text)
    return found.group(1) if found else ""


def _published(page, day):
    """The publication time: the JSON-LD article's, else the page's meta (ISO 8601, or a date
    in words with a year; without a zone it is taken in the site's), else the time its script
    states (a WeChat article's), else the first time the page's text states on the day they or
    trafilatura give (a Chinese page's info line), else the start of that day."""
    candidates = [_text(page.linked.get("datePublished"))]
    candidates += [page.meta.get(name) for name in _TIME_META]
    stated_day = None
    for value in filter(None, candidates):
        moment = _moment(value)
        if moment and not _HAS_TIME.search(value):  # a day without its time
            stated_day = stated_day or moment
        elif moment:
            return moment.isoformat()
    stamped = _stamped(page.stamp)
    if stamped:
        return stamped.isoformat()
    start = stated_day or _day(day)
    if start is None:
        return None
    for found in _TIME_IN_TEXT.finditer(page.text):
        year, month, date, hour, minute, second = (int(part or 0) for part in found.groups())
        if (year, month, date) == (start.year, start.month, start.day):
            moment = _moment(f"{year:04}-{month:02}-{date:02}T{hour:02}:{minute:02}:{second:02}")
            if moment:
                return moment.isoformat()
    return start.isoformat()


def _stamped(seconds):
    """The aware time of Unix `seconds`, or None for none or one out of range."""
    if seconds is None:
        return None
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment if in_range(moment) else None


def _moment(value):
    """An aware datetime from a page's time (ISO 8601, or words with a year, a month and a day),
    in the site's zone when it names none; None for anything else."""
    text = _CJK_DATE.sub(r"\1-\2-\3", value.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = _in_words(text)
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        return moment if in_range(moment) else None
    except ValueError:  # an offset of a day or more
        return None


def _in_words(text):
    if not _YEAR.search(text):
        return None
    try:
        with warnings.catch_warnings():  # a zone it does not know is the site's
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            first, second = (
                dateutil_parser.parse(text, default=default, tzinfos=_ZONES)
                for default in _DEFAULT_DAYS
            )
    except (ValueError, OverflowError):
        return None
    # dateutil fills what the text lacks from its default: "March 2024" is no day.
    return first if first == second else None


def _language(page):
    """The article's language: the JSON-LD article's, the page's lang attribute, its
    Content-Language, its og:locale; the first that is a well-formed BCP 47 tag."""
    candidates = [_text(page.linked.get("inLanguage")), page.lang]
    candidates += [page.meta.get(name) for name in _LANGUAGE_META]
    for value in candidates:
        tag = language_tag(value) if value else None
        if tag:
            return tag
    return None


def _text(value):
    """A JSON-LD value as plain text (entities decoded), or "" for anything but a string."""
    return _squeeze(htmllib.unescape(value)) if isinstance(value, str) else ""


def _squeeze(text):
    return " ".join(text.split())


def base_address(tree, url):
    """The address a page's relative links are read against, as a browser reads them: its
    <base href> (itself relative to the page) where that is a web address, else `url`."""
    written = next((e.get("href") for e in tree.iter("base") if e.get("href")), "")
    if written:
        joined = urllib.parse.urljoin(url or "", written.strip())
        if joined.startswith(("http://", "https://")):
            return joined
    return url


def _marked_pictures(text):
    """The page with each picture's address (a lazy-loaded one's real address, not its
    placeholder) replaced by a mark, and {mark: address}.

    trafilatura keeps a picture only when its address ends like an image file's, which a
    WeChat article's (mmbiz.qpic.cn/…/640?wx_fmt=jpeg) and many CDNs' never do; and it takes a
    lazy-loading placeholder (src="grey.gif" data-original="…") for the picture."""
    tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=_UTF8_PARSER)
    pictures = {}
    for number, element in enumerate(tree.iter("img")):
        address = _picture_address(element)
        for name in (*_LAZY_SOURCES, "srcset", "data-srcset"):
            element.attrib.pop(name, None)
        if address:
            mark = f"{_PICTURE_MARK}{number}.jpg"
            pictures[mark] = address
            element.set("src", mark)
        else:
            element.attrib.pop("src", None)
    return lxml.html.tostring(tree, encoding="unicode"), pictures


def _picture_address(element):
    """Where an <img> shows its picture from: its src, unless that is a data: URI or a
    lazy-loading placeholder standing in for the address a script puts there."""
    src = (element.get("src") or "").strip()
    lazy = next(
        (
            value.strip()
            for value in map(element.get, _LAZY_SOURCES)
            if value and value.strip() and not value.strip().startswith("data:")
        ),
        "",
    )
    if not src or src.startswith("data:"):
        return lazy
    if lazy and lazy != src and _PLACEHOLDER.search(src):
        return lazy
    return src


def _article_body(html, title, base, pictures):
    """The extracted article's inner HTML, without the headline (the page shows its own), its
    pictures' marks back to their addresses, its links and pictures made absolute against
    `base` (None: left as they are); a picture that has no web address is left out."""
    body = lxml.html.document_fromstring(html.encode("utf-8"), parser=_UTF8_PARSER).body
    for element in list(body.iter("img")):
        address = pictures.get(element.get("src"), "")
        if base:
            address = web_address(address, base)
        if address and not address.lower().startswith(("javascript:", "vbscript:", "data:")):
            element.set("src", address)
        else:
            element.drop_tree()
    if base:
        body.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    first = body[0] if len(body) else None
    heading = first if first is not None and first.tag in ("h1", "h2", "h3") else body.find("h1")
    if heading is not None and _squeeze(heading.text_content()) == title:
        heading.drop_tree()
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in body)


def _day(date):
    """trafilatura's date (a day) as the start of that day in the site's zone, or None."""
    return _moment(date[:10]) if date else None
