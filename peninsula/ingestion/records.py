"""One imported article, checked and prepared in Python before anything touches the database.

Every source format (JSON Lines first) turns its input into mappings with the keys documented
in docs/import-format.md; `parse_record` validates one mapping and returns an `ArticleRecord`
whose values are ready to store, or raises `RecordError` with a reason a person can act on.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import markdown
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from peninsula.content.models import Article, Author, Source
from peninsula.content.services import split_category_path
from peninsula.core.html import sanitize_html
from peninsula.core.text import html_to_text

KEYS = frozenset(
    {
        *("external_id", "title", "body", "body_markdown", "summary", "category", "tags"),
        *("byline", "authors", "source_name", "source_url", "language", "published_at"),
        *("status", "views", "likes", "image", "original_title", "original_author", "editor"),
    }
)
STATUSES = ("draft", "published")
COUNTER_MAX = 2**63 - 1
TAG_MAX_LENGTH = 100

# RFC 5646 "langtag" (well-formed, not checked against the registry), plus private use tags.
_BCP47 = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+)$",
    re.IGNORECASE,
)
_validate_url = URLValidator(schemes=["http", "https"])


class RecordError(ValueError):
    """A record that cannot be imported; the message says why."""


@dataclass
class ArticleRecord:
    title: str
    body: str
    category_path: tuple
    external_id: str | None = None
    summary: str = ""
    tags: list = field(default_factory=list)
    byline: str = ""
    authors: list = field(default_factory=list)
    source_name: str = ""
    source_url: str = ""
    language: str | None = None
    published_at: datetime | None = None
    status: str = "published"
    views: int | None = None
    likes: int | None = None
    image_url: str = ""
    original_title: str = ""
    original_author: str = ""
    editor: str = ""
    cover_image_id: int | None = None  # set once the image at image_url is stored
    line: int = 0


@cache
def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _string(data, key, *, required=False, max_length=None):
    value = data.get(key)
    if value is None:
        if required:
            raise RecordError(f"{key} is required")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{key} must be a string, not {_type_name(value)}")
    value = value.strip()
    if required and not value:
        raise RecordError(f"{key} is empty")
    if max_length is not None and len(value) > max_length:
        raise RecordError(f"{key} is longer than {max_length} characters")
    return value


def _string_list(data, key, *, max_length):
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RecordError(f"{key} must be a list of strings")
    names = []
    for item in value:
        item = " ".join(item.split())
        if not item:
            raise RecordError(f"{key} contains an empty name")
        if len(item) > max_length:
            raise RecordError(f"{key}: {item[:40]!r}… is longer than {max_length} characters")
        if item not in names:
            names.append(item)
    return names


def _url(data, key, *, max_length=None):
    url = _string(data, key, max_length=max_length)
    if url:
        try:
            _validate_url(url)
        except ValidationError:
            raise RecordError(f"{key} {url!r} is not an http(s) URL") from None
    return url


def _counter(data, key):
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{key} must be a whole number, not {_type_name(value)}")
    if value < 0:
        raise RecordError(f"{key} must not be negative")
    if value > COUNTER_MAX:
        raise RecordError(f"{key} is too large")
    return value


def _type_name(value):
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def parse_datetime(value, key="published_at"):
    """An aware datetime from ISO 8601 text; a time without a zone is refused as ambiguous."""
    if not isinstance(value, str):
        raise RecordError(f"{key} must be an ISO 8601 string, not {_type_name(value)}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(
            f"{key} {value!r} is not an ISO 8601 date and time (e.g. 2024-09-22T01:36:59+08:00)"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RecordError(f"{key} {value!r} has no time zone (add +08:00 or Z)")
    return moment


def normalize_language(value):
    """A well-formed BCP 47 tag in its conventional case (zh-Hans-CN, en-US)."""
    if not isinstance(value, str):
        raise RecordError(f"language must be a string, not {_type_name(value)}")
    tag = value.strip().replace("_", "-")
    if not _BCP47.match(tag) or len(tag) > _max_length(Article, "language"):
        raise RecordError(f"language {value!r} is not a BCP 47 tag such as zh, en or zh-Hant")
    # RFC 5646 2.1.1: scripts in title case, regions in upper case, the rest lower case,
    # and everything after a singleton (an extension or private use) lower case.
    parts = tag.lower().split("-")
    out, in_extension = [parts[0]], len(parts[0]) == 1
    for part in parts[1:]:
        in_extension = in_extension or len(part) == 1
        if not in_extension and len(part) == 4 and part.isalpha():
            part = part.title()
        elif not in_extension and len(part) == 2:
            part = part.upper()
        out.append(part)
    return "-".join(out)


class _MarkdownRenderer:
    """One reusable Markdown converter: building one per article costs more than converting."""

    def __init__(self):
        self._md = markdown.Markdown(extensions=["extra", "sane_lists"])

    def __call__(self, text):
        self._md.reset()
        return self._md.convert(text)


render_markdown = _MarkdownRenderer()


def _category_reason(error, category):
    if error.code == "not_string":
        return f"category must be a string such as 国际/亚太, not {_type_name(category)}"
    if error.code == "too_long":
        return f"category name {error.params['name'][:40]!r} is longer than {error.params['max']}"
    return f"category {category!r} has an empty level"


def parse_record(data, *, line=0):
    """Validate one mapping from an import file; raises RecordError with the first problem."""
    if not isinstance(data, dict):
        raise RecordError(f"a line must hold a JSON object, not {_type_name(data)}")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise RecordError(f"unknown key{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")

    external_id = data.get("external_id")
    if external_id is not None:
        if isinstance(external_id, bool) or not isinstance(external_id, str | int):
            raise RecordError("external_id must be a string or a whole number")
        external_id = str(external_id).strip()
        if not external_id:
            raise RecordError("external_id is empty")
        if len(external_id) > _max_length(Article, "external_id"):
            raise RecordError("external_id is longer than 200 characters")

    title = _string(data, "title", required=True, max_length=_max_length(Article, "title"))
    if "body" in data and "body_markdown" in data:
        raise RecordError("give either body or body_markdown, not both")
    if "body_markdown" in data:
        body = sanitize_html(render_markdown(_string(data, "body_markdown", required=True)))
    elif "body" in data:
        body = sanitize_html(_string(data, "body", required=True))
    else:
        raise RecordError("body (HTML) or body_markdown is required")
    if not body.strip():
        raise RecordError("body is empty once unsafe HTML is removed")

    category = data.get("category")
    if category is None:
        raise RecordError("category is required")
    try:
        category_path = tuple(split_category_path(category))
    except ValidationError as error:
        raise RecordError(_category_reason(error, category)) from None

    status = data.get("status", "published")
    if status not in STATUSES:
        raise RecordError(f"status must be draft or published, not {status!r}")

    source_url = _url(data, "source_url", max_length=_max_length(Article, "source_url"))

    published_at = data.get("published_at")
    return ArticleRecord(
        line=line,
        external_id=external_id,
        title=title,
        body=body,
        summary=html_to_text(_string(data, "summary")),
        category_path=category_path,
        tags=_string_list(data, "tags", max_length=TAG_MAX_LENGTH),
        byline=_string(data, "byline", max_length=_max_length(Article, "byline")),
        authors=_string_list(data, "authors", max_length=_max_length(Author, "name")),
        source_name=_string(data, "source_name", max_length=_max_length(Source, "name")),
        source_url=source_url,
        language=None if data.get("language") is None else normalize_language(data["language"]),
        published_at=None if published_at is None else parse_datetime(published_at),
        status=status,
        views=_counter(data, "views"),
        likes=_counter(data, "likes"),
        image_url=_url(data, "image"),
        original_title=_string(
            data, "original_title", max_length=_max_length(Article, "original_title")
        ),
        original_author=_string(
            data, "original_author", max_length=_max_length(Article, "original_author")
        ),
        editor=_string(data, "editor", max_length=_max_length(Article, "responsible_editor")),
    )
