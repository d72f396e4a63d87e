"""Shared by the hostile-input tests: the XSS payload list, ways to store it, and HTML audits.

The payloads (tests/data/xss-payloads.txt) call alert/confirm/prompt or `window.__xss.push(1)`;
the browser tests turn both into entries of a tripwire array.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse
from hypothesis import HealthCheck, settings

from peninsula.content.tests.admin_helpers import article_post, article_url
from peninsula.ingestion.jsonl import import_jsonl

# Hypothesis for the hostile tests: repeatable, and every example in the test's own database.
FUZZ = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAYLOAD_FILE = Path(__file__).resolve().parents[3] / "tests" / "data" / "xss-payloads.txt"
PAYLOADS = [line for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines() if line]
ROOT_CATEGORY = "XSS"
PUBLISHED_AT = "2024-09-22T01:36:59+08:00"
# Hostile but valid http(s) URLs: an import accepts them, and they land in href attributes.
SOURCE_URLS = [
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/?a='onmouseover='alert(1)",
    'https://example.com/#"><img/src=x/onerror=alert(1)>',
]

# Elements that run script or load a document; none may come out of stored content.
ACTIVE_TAGS = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "link",
        "meta",
        "svg",
        "math",
        "form",
        "input",
        "button",
        "select",
        "textarea",
        "keygen",
        "video",
        "audio",
        "source",
        "template",
        "marquee",
        "body",
        "xss",
    ]
)
URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "background",
        "poster",
        "cite",
        "dynsrc",
        "lowsrc",
    ]
)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_url(value):
    """True for URLs a browser would run as script or as a document of their own."""
    url = _URL_NOISE.sub("", value or "").lower()
    return url.startswith(("javascript:", "vbscript:", "data:", "livescript:"))


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if (
                name.startswith("on")
                or name in ("style", "srcdoc", "formaction")
                or (name in URL_ATTRIBUTES and unsafe_url(value))
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def html_problems(html):
    """What in a piece of stored HTML could run script: active elements, handlers, bad URLs."""
    audit = _Audit()
    audit.feed(html or "")
    audit.close()
    if re.search(r"<\s*script", html or "", re.IGNORECASE):
        audit.problems.append("<script")
    return audit.problems


def _category_path(payload):
    """The payload as a category below XSS; "/" separates levels, so runs of it become one."""
    levels = [level.strip()[:100] for level in payload.split("/")]
    return "/".join([ROOT_CATEGORY, *[level for level in levels if level]])


def import_payloads(payloads=PAYLOADS):
    """One JSONL record per payload, the payload in every text field the import accepts."""
    lines = []
    for n, payload in enumerate(payloads):
        record = {
            "external_id": f"xss-{n}",
            "title": payload,
            "summary": payload,
            "body": f"<p>第{n}号载荷:</p>{payload}<p>{payload}</p>",
            "byline": payload,
            "tags": [payload[:100], "xss"],
            "authors": [payload[:100]],
            "category": _category_path(payload),
            "source_name": payload,
            "source_url": SOURCE_URLS[n % len(SOURCE_URLS)],
            "published_at": PUBLISHED_AT,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return import_jsonl(lines)


def post_through_editor(client, category, payload):
    """Create and publish an article in the admin's editor with the payload in its text fields.

    The body goes as Draftail sends it: the payload pasted as HTML and converted to Draftail's
    JSON where Wagtail's converter takes it (it refuses some broken markup), and always also as
    hand-written JSON holding the payload as text and as link targets.
    """
    try:
        data = article_post(category, title=payload, summary=payload, body=payload)
    except AssertionError:
        data = article_post(category, title=payload, summary=payload)
        data["body"] = hostile_contentstate(payload)
    data["action-publish"] = "publish"
    return client.post(article_url("add"), data)


def hostile_contentstate(payload):
    """Draftail's JSON as a forged editor post would send it: the payload as text and as links."""
    text = f"payload {payload}"
    entities = {
        "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}},
        "1": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": payload}},
    }
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "text": text,
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [
                        {"offset": 0, "length": 7, "key": 0},
                        {"offset": 8, "length": len(payload), "key": 1},
                    ],
                },
            ],
            "entityMap": entities,
        }
    )


def post_contentstate(client, category, payload):
    """Like `post_through_editor`, but with the body's Draftail JSON written by hand."""
    data = article_post(category, title=payload, summary=payload, action="publish")
    data["body"] = hostile_contentstate(payload)
    return client.post(article_url("add"), data)


def public_urls(articles):
    """Every public page on which the articles' titles, names and texts appear."""
    urls = {reverse("content:home"), reverse("content:archive-year", args=["2024"])}
    urls.add(reverse("content:archive-month", args=["2024", "09"]))
    for article in articles:
        urls.add(article.get_absolute_url())
        for category in article.category.ancestors_and_self:
            urls.add(category.get_absolute_url())
        urls.update(tag_url(tag) for tag in article.tags.all())
        urls.update(author.get_absolute_url() for author in article.authors.all())
    return sorted(urls)


def tag_url(tag):
    return reverse("content:tag", args=[tag.slug])
