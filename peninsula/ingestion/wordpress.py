"""WordPress exports (WXR 1.0–1.2): posts become the mappings of docs/import-format.md.

The file is read twice with lxml's iterparse, one element at a time, so memory stays bounded
whatever its size: the first pass checks that it is well-formed (a broken export writes nothing)
and collects the small maps posts refer to (authors, categories, attachments); the second
yields the posts. Old permalinks become Wagtail redirects; comments come along (the
comments app stores them once). See docs/import-format.md.
"""

import ipaddress
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from lxml import etree
from wagtail.contrib.redirects.models import Redirect

from peninsula.comments.services import comments_import
from peninsula.content.models import Article
from peninsula.core.text import html_to_text

from .pipeline import ItemError, ItemPipeline, Noted
from .records import fitted, in_range, language_tag, stand_in_title, web_address
from .wphtml import wordpress_html

STATUSES = {
    "publish": "published",
    "future": "published",  # its date is ahead: the import schedules it
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
}
NO_DATE = "0000-00-00 00:00:00"
# The wp: namespace of WXR 1.0–1.2, written with http or https (WordPress reads both).
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
# Reader comments; notes (the block editor's private remarks), pingbacks and the like are not.
READER_COMMENTS = ("", "comment")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# WordPress's comment_approved: approved comments are public, spam stays spam, the rest is held.
COMMENT_STATUSES = {"1": "approved", "approve": "approved", "spam": "spam"}
_CHUNK = 500


class WordPressError(ValueError):
    """An export that cannot be read at all; nothing of it was imported."""


class PostError(ValueError):
    """A post that cannot be imported; the message says why, and the other posts import."""


@dataclass
class Export:
    """What posts refer to, gathered in the first pass."""

    authors: dict = field(default_factory=dict)  # login → display name
    categories: dict = field(default_factory=dict)  # nicename → (name, parent nicename)
    attachments: dict = field(default_factory=dict)  # post id → URL
    children: dict = field(default_factory=dict)  # parent post id → [attachment URLs]
    posts: int = 0
    site: str = ""  # the blog's address (wp:base_blog_url, else the channel's link)
    language: str | None = None  # the channel's <language>, each post's (as a feed's is)

    def post_key(self, post_id):
        """The key of a post that has no GUID: its number on this blog. Numbers alone would
        make the posts of two blogs' exports update each other."""
        return f"wordpress:{self.site}?p={post_id}" if self.site else f"wordpress:{post_id}"


def import_wordpress(path, *, export=None, progress=None, **options):
    """Import the posts of the export at `path` (`export`: its `scan`, when made already);
    returns the pipeline's Report."""
    export = export or scan(path)
    pipeline = ItemPipeline(unit="line", **options)
    permalinks, comments = {}, {}
    for line, item in _items(path):
        if not _is_post(item):
            continue
        if progress is not None:
            progress(1)
        read = _read(item, export)
        if isinstance(read, ItemError):
            pipeline.add(line, read)
            continue
        mapping, paths, post_comments = read
        permalinks[mapping["external_id"]] = paths
        comments[mapping["external_id"]] = post_comments
        pipeline.add(line, mapping)
    report = pipeline.finish()
    redirects_ensure(permalinks)
    comments_import({key: items for key, items in comments.items() if items})
    return report


def scan(path):
    """The first pass: refuse a malformed file, count its posts and collect what they use."""
    export = Export()
    try:
        tags = ("item", "author", "category", "base_blog_url", "base_site_url", "link", "language")
        for _, item in _items(path, tags=tags):
            kind = etree.QName(item).localname
            if kind in ("base_blog_url", "base_site_url", "link"):
                site = (item.text or "").strip().rstrip("/")
                if site and (kind == "base_blog_url" or not export.site):
                    export.site = site
            elif kind == "language":
                export.language = language_tag(item.text or "")
            elif kind == "author":
                login = _text(item, "author_login")
                export.authors[login] = _text(item, "author_display_name") or login
            elif kind == "category" and _is_wp(item):
                export.categories[_text(item, "category_nicename")] = (
                    _plain(_text(item, "cat_name")),
                    _text(item, "category_parent"),
                )
            elif kind == "item":
                post_type = _text(item, "post_type")
                if post_type == "attachment":
                    url = _text(item, "attachment_url")
                    export.attachments[_text(item, "post_id")] = url
                    export.children.setdefault(_text(item, "post_parent"), []).append(url)
                elif _is_post(item):
                    export.posts += 1
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise WordPressError(f"line {line}, column {column}: {error.msg}") from None
    return export


def redirects_ensure(permalinks):
    """Old path → article address, permanent, for every article imported (by external id)."""
    targets = {}
    ids = list(permalinks)
    for start in range(0, len(ids), _CHUNK):
        articles = Article.objects.filter(external_id__in=ids[start : start + _CHUNK])
        for article in articles.select_related("category"):
            url = article.get_absolute_url()
            for path in permalinks[article.external_id]:
                targets[Redirect.normalise_path(path)] = url
    with transaction.atomic():
        existing = {
            r.old_path: r for r in Redirect.objects.filter(site=None, old_path__in=list(targets))
        }
        changed = []
        for old_path, url in targets.items():
            redirect = existing.get(old_path)
            if redirect is not None and (redirect.link != url or not redirect.is_permanent):
                redirect.redirect_link, redirect.redirect_page = url, None
                redirect.is_permanent = True
                changed.append(redirect)
        Redirect.objects.bulk_update(changed, ["redirect_link", "redirect_page", "is_permanent"])
        Redirect.objects.bulk_create(
            Redirect(old_path=old_path, redirect_link=url, is_permanent=True)
            for old_path, url in targets.items()
            if old_path not in existing
        )


def _items(path, *, tags=("item",)):
    """(line, element) for each element named in `tags`, freed once the caller is done."""
    parser = etree.iterparse(
        str(path),
        events=("end",),
        tag=[f"{{*}}{tag}" for tag in tags],
        resolve_entities=False,
        no_network=True,
        huge_tree=True,  # a post's content may exceed libxml2's 10 MB text node limit
    )
    for _, element in parser:
        parent = element.getparent()
        if parent is None or etree.QName(parent).localname != "channel":
            continue  # a post's own <category>, read with the post
        yield element.sourceline, element
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del parent[0]


def _is_wp(element):
    return bool(_WP_NAMESPACE.match(etree.QName(element).namespace or ""))


def _is_post(item):
    return _text(item, "post_type") == "post" and _text(item, "status") in STATUSES


def _elements(item):
    """The child elements, without the XML comments or processing instructions among them."""
    return item.iterchildren(etree.Element)


def _children(item, name):
    return [c for c in _elements(item) if etree.QName(c).localname == name]


def _text(item, name, *, wp=True):
    """The text of the child called `name` (in the wp: namespace unless `wp` is false)."""
    for child in _elements(item):
        if etree.QName(child).localname == name and _is_wp(child) == wp:
            return (child.text or "").strip()
    return ""


def _plain(value):
    """Plain text of what WordPress stores as HTML (titles, category and tag names): entities
    decoded, tags dropped, white space collapsed, so readers never see `&amp;` or `<em>`."""
    return html_to_text(value)


def _encoded(item, prefix):
    """content:encoded or excerpt:encoded, told apart by their namespaces."""
    for child in _elements(item):
        qname = etree.QName(child)
        if qname.localname == "encoded" and prefix in (qname.namespace or ""):
            return child.text or ""
    return ""


def _read(item, export):
    """(mapping, old paths, comments) of a post, or the ItemError that fails it alone: whatever
    one <item> holds, the posts after it still import."""
    try:
        mapping = _post(item, export)
        return mapping, _old_paths(item), _comments(item, mapping["external_id"])
    except PostError as error:
        return ItemError(str(error))
    except Exception as error:  # an item nobody foresaw must not end the import
        return ItemError(f"post {_text(item, 'post_id')} could not be read: {error!r}")


def _post(item, export):
    """The import mapping for a post (`_is_post`)."""
    post_id = _text(item, "post_id")
    body = wordpress_html(
        _encoded(item, "/content/"),
        attachments=export.attachments,
        children=export.children.get(post_id, ()),
    )
    categories, tags = [], []
    for element in _children(item, "category"):
        name = _plain(element.text or "")
        if element.get("domain") == "category":
            categories.append(_category_path(element.get("nicename", ""), name, export))
        elif element.get("domain") == "post_tag" and name:
            tags.append(name)
    author = _text(item, "creator", wp=False)
    author = export.authors.get(author, author)
    meta = {_text(m, "meta_key"): _text(m, "meta_value") for m in _children(item, "postmeta")}
    mapping = {
        "external_id": _text(item, "guid", wp=False) or export.post_key(post_id),
        "title": _plain(_text(item, "title", wp=False))
        or stand_in_title(body)
        or f"无标题 #{post_id}",
        "body": body,
        "summary": _encoded(item, "/excerpt/").strip(),
        "tags": tags,
        "status": _status(item),
        "published_at": _published_at(item),
        "language": export.language,
    }
    if categories:
        mapping["category"] = categories[0]  # a post in several categories keeps its first
    if author:
        mapping.update(byline=author, authors=[author])
    thumbnail = export.attachments.get(meta.get("_thumbnail_id", ""))
    mapping["image"] = web_address(thumbnail, export.site)
    mapping = fitted({key: value for key, value in mapping.items() if value not in (None, "", [])})
    if thumbnail and not mapping.get("image"):
        warning = f"featured image {thumbnail!r} is not a web address; imported without it"
        return Noted(mapping, [warning])
    return mapping


def _category_path(nicename, name, export):
    """The category's names from the top of the tree down, joined by '/'."""
    names, seen = [], set()
    while nicename in export.categories and nicename not in seen:
        seen.add(nicename)
        category_name, nicename = export.categories[nicename]
        names.append(category_name)
    names = names or [name]
    return "/".join(n.replace("/", "／") for n in reversed(names))


def _status(item):
    """A password-protected post is never published: WordPress showed it only to the readers
    given the password, so it lands as a draft for an editor to decide."""
    if _text(item, "post_password"):
        return "draft"
    return STATUSES[_text(item, "status")]


def _published_at(item):
    """The post's date; a post without one (a never-saved draft) gives no time, one whose dates
    are all unusable fails."""
    moment, unusable = _moment(item, "post_date")
    if moment is None and unusable:
        raise PostError(f"post date {unusable[0]!r} is not a usable date")
    return moment.isoformat() if moment else None


def _moment(element, name):
    """(moment, unusable dates) for `name` (post_date, comment_date): the GMT date, else the
    local one, as WordPress falls back. Its 0000-00-00 00:00:00 means none."""
    unusable = []
    # Without the GMT date, the blog's own zone is unknown: the site's is assumed.
    for suffix, zone in (("_gmt", UTC), ("", timezone.get_default_timezone())):
        value = _text(element, name + suffix)
        if value in ("", NO_DATE):
            continue
        moment = _date(value, zone)
        if moment is not None:
            return moment, unusable
        unusable.append(value)
    return None, unusable


def _date(value, zone):
    """`value` as an aware datetime, or None when it is no date the site can store and show
    (MySQL kept dates such as 2012-00-00)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return moment if in_range(moment) else None


def _comments(item, post_key):
    """The post's reader comments (not notes, pingbacks or trackbacks) as `comments_import`
    records: approved ones public, spam as spam, the rest held for moderation. A `<br>` stays a
    line break in the plain text."""
    records = []
    for element in _children(item, "comment"):
        if _text(element, "comment_type") not in READER_COMMENTS:
            continue
        comment_id = _text(element, "comment_id")
        text = _BR.sub("\n", _text(element, "comment_content"))
        if not comment_id or not text:
            continue
        parent = _text(element, "comment_parent")
        approved = _text(element, "comment_approved")
        records.append(
            {
                "external_id": f"{post_key}#comment-{comment_id}",
                "parent": f"{post_key}#comment-{parent}" if parent not in ("", "0") else "",
                "name": _text(element, "comment_author"),
                "email": _text(element, "comment_author_email"),
                "address": _address(_text(element, "comment_author_IP")),
                "text": text,
                "created_at": _comment_time(element),
                "status": COMMENT_STATUSES.get(approved, "pending"),
            }
        )
    return records


def _address(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _comment_time(element):
    """A comment without a usable date is dated by the import."""
    return _moment(element, "comment_date")[0] or timezone.now()


def _old_paths(item):
    """The paths that reached the post on the old site: its permalink, and ?p=ID."""
    paths = [f"/?p={_text(item, 'post_id')}"]
    try:
        link = urllib.parse.urlsplit(_text(item, "link", wp=False))
    except ValueError:  # a link that is no URL ("http://[bad") reached nothing
        return paths
    if link.path or link.query:
        old = link.path or "/"
        paths.append(f"{old}?{link.query}" if link.query else old)
    return list(dict.fromkeys(paths))
