"""WordPress exports (WXR 1.0–1.2): posts become the mappings of docs/import-format.md.

The file is read twice with lxml's iterparse, one element at a time, so memory stays bounded
whatever its size: the first pass checks that it is well-formed (a broken export writes nothing)
and collects the small maps posts refer to (authors, categories, attachments); the second
yields the posts. Old permalinks become Wagtail redirects; comments come along (the
comments app stores them once). See docs/import-format.md.
"""

import ipaddress
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from lxml import etree
from wagtail.contrib.redirects.models import Redirect

from peninsula.comments.services import comments_import
from peninsula.content.models import Article
from peninsula.core.text import html_to_text, make_excerpt

from .pipeline import ItemPipeline
from .wphtml import wordpress_html

STATUSES = {
    "publish": "published",
    "future": "published",  # its date is ahead: the import schedules it
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
}
NO_DATE = "0000-00-00 00:00:00"
# WordPress's comment_approved: approved comments are public, spam stays spam, the rest is held.
COMMENT_STATUSES = {"1": "approved", "approve": "approved", "spam": "spam"}
STAND_IN_LENGTH = 30
_CHUNK = 500


class WordPressError(ValueError):
    """An export that cannot be read at all; nothing of it was imported."""


@dataclass
class Export:
    """What posts refer to, gathered in the first pass."""

    authors: dict = field(default_factory=dict)  # login → display name
    categories: dict = field(default_factory=dict)  # nicename → (name, parent nicename)
    attachments: dict = field(default_factory=dict)  # post id → URL
    children: dict = field(default_factory=dict)  # parent post id → [attachment URLs]
    posts: int = 0
    site: str = ""  # the blog's address (wp:base_blog_url, else the channel's link)

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
        mapping = _post(item, export)
        if mapping is None:
            continue
        if progress is not None:
            progress(1)
        permalinks[mapping["external_id"]] = _old_paths(item)
        comments[mapping["external_id"]] = _comments(item, mapping["external_id"])
        pipeline.add(line, mapping)
    report = pipeline.finish()
    redirects_ensure(permalinks)
    comments_import({key: items for key, items in comments.items() if items})
    return report


def scan(path):
    """The first pass: refuse a malformed file, count its posts and collect what they use."""
    export = Export()
    try:
        tags = ("item", "author", "category", "base_blog_url", "base_site_url", "link")
        for _, item in _items(path, tags=tags):
            kind = etree.QName(item).localname
            if kind in ("base_blog_url", "base_site_url", "link"):
                site = (item.text or "").strip().rstrip("/")
                if site and (kind == "base_blog_url" or not export.site):
                    export.site = site
            elif kind == "author":
                login = _text(item, "author_login")
                export.authors[login] = _text(item, "author_display_name") or login
            elif kind == "category" and _is_wp(item):
                export.categories[_text(item, "category_nicename")] = (
                    _text(item, "cat_name"),
                    _text(item, "category_parent"),
                )
            elif kind == "item":
                post_type = _text(item, "post_type")
                if post_type == "attachment":
                    url = _text(item, "attachment_url")
                    export.attachments[_text(item, "post_id")] = url
                    export.children.setdefault(_text(item, "post_parent"), []).append(url)
                elif post_type == "post" and _text(item, "status") in STATUSES:
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
    return (etree.QName(element).namespace or "").startswith("http://wordpress.org/export/")


def _children(item, name):
    return [c for c in item if etree.QName(c).localname == name]


def _text(item, name, *, wp=True):
    """The text of the child called `name` (in the wp: namespace unless `wp` is false)."""
    for child in item:
        if etree.QName(child).localname == name and _is_wp(child) == wp:
            return (child.text or "").strip()
    return ""


def _encoded(item, prefix):
    """content:encoded or excerpt:encoded, told apart by their namespaces."""
    for child in item:
        qname = etree.QName(child)
        if qname.localname == "encoded" and prefix in (qname.namespace or ""):
            return child.text or ""
    return ""


def _post(item, export):
    """The import mapping for a post, or None for what is not a post to import."""
    if _text(item, "post_type") != "post" or _text(item, "status") not in STATUSES:
        return None
    post_id = _text(item, "post_id")
    body = wordpress_html(
        _encoded(item, "/content/"),
        attachments=export.attachments,
        children=export.children.get(post_id, ()),
    )
    categories, tags = [], []
    for element in _children(item, "category"):
        name = (element.text or "").strip()
        if element.get("domain") == "category":
            categories.append(_category_path(element.get("nicename", ""), name, export))
        elif element.get("domain") == "post_tag" and name:
            tags.append(name)
    author = _text(item, "creator", wp=False)
    author = export.authors.get(author, author)
    meta = {_text(m, "meta_key"): _text(m, "meta_value") for m in _children(item, "postmeta")}
    mapping = {
        "external_id": _text(item, "guid", wp=False) or export.post_key(post_id),
        "title": _text(item, "title", wp=False) or _stand_in_title(body, post_id),
        "body": body,
        "summary": _encoded(item, "/excerpt/").strip(),
        "tags": tags,
        "status": STATUSES[_text(item, "status")],
        "published_at": _published_at(item),
    }
    if categories:
        mapping["category"] = categories[0]  # a post in several categories keeps its first
    if author:
        mapping.update(byline=author, authors=[author])
    thumbnail = export.attachments.get(meta.get("_thumbnail_id", ""))
    if thumbnail:
        mapping["image"] = thumbnail
    return {key: value for key, value in mapping.items() if value not in (None, "", [])}


def _category_path(nicename, name, export):
    """The category's names from the top of the tree down, joined by '/'."""
    names, seen = [], set()
    while nicename in export.categories and nicename not in seen:
        seen.add(nicename)
        category_name, nicename = export.categories[nicename]
        names.append(category_name)
    names = names or [name]
    return "/".join(n.replace("/", "／") for n in reversed(names))


def _published_at(item):
    """The GMT date; an export without one (a never-saved draft) gives no time."""
    gmt = _text(item, "post_date_gmt")
    if gmt and gmt != NO_DATE:
        return datetime.fromisoformat(gmt).replace(tzinfo=UTC).isoformat()
    local = _text(item, "post_date")
    if local and local != NO_DATE:
        # Without the GMT date, the blog's own zone is unknown: the site's is assumed.
        moment = datetime.fromisoformat(local)
        return timezone.make_aware(moment, timezone.get_default_timezone()).isoformat()
    return None


def _comments(item, post_key):
    """The post's comments (not pingbacks or trackbacks) as `comments_import` records: approved
    ones public, spam as spam, the rest held for moderation."""
    records = []
    for element in _children(item, "comment"):
        if _text(element, "comment_type") in ("pingback", "trackback"):
            continue
        comment_id = _text(element, "comment_id")
        text = _text(element, "comment_content")
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
    gmt = _text(element, "comment_date_gmt")
    if gmt and gmt != NO_DATE:
        return datetime.fromisoformat(gmt).replace(tzinfo=UTC)
    local = _text(element, "comment_date")
    if local and local != NO_DATE:
        return timezone.make_aware(datetime.fromisoformat(local), timezone.get_default_timezone())
    return timezone.now()


def _stand_in_title(body, post_id):
    """A readable title for a post saved without one: its opening words, or its number."""
    text = html_to_text(body)
    if text:
        return make_excerpt(text, byline="", length=STAND_IN_LENGTH, is_summary=False)
    return f"无标题 #{post_id}"


def _old_paths(item):
    """The paths that reached the post on the old site: its permalink, and ?p=ID."""
    paths = [f"/?p={_text(item, 'post_id')}"]
    link = urllib.parse.urlsplit(_text(item, "link", wp=False))
    if link.path or link.query:
        old = link.path or "/"
        paths.append(f"{old}?{link.query}" if link.query else old)
    return list(dict.fromkeys(paths))
