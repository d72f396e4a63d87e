"""One imported article, checked and prepared in Python before anything touches the database.

Every source format turns its input into mappings with the keys of docs/import-format.md;
`parse_record` validates one with pydantic and returns an `ArticleRecord` ready to store, or
raises `RecordError` with a reason a person can act on.
"""

import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Literal

import markdown
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    model_validator,
)
from pydantic import ValidationError as SchemaError
from pydantic_core import PydanticCustomError

from peninsula.content.models import Article, Author, Source
from peninsula.content.services import split_category_path
from peninsula.core.html import sanitize_html
from peninsula.core.text import html_to_text, make_excerpt, strip_control_characters

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
_FIRST_SENTENCE = re.compile(r".+?(?:[。！？]|[.!?](?=\s))")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


# The import's --category gives items without a category one; the reason says so.
CATEGORY_REQUIRED = "category is required (--category sets one for items without it)"


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
    # Computed ahead by `prepare_item` (ingestion.pipeline), perhaps in a worker process:
    # `Article.derived_for` and the search index's `document_tokens` of the texts above.
    derived: dict | None = None
    tokens: tuple | None = None
    warnings: list = field(default_factory=list)  # what its format could not read


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _refuse(reason):
    raise PydanticCustomError("record", reason)


def type_name(value):
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _published_at(value):
    """An aware datetime from ISO 8601 text; a time without a zone is refused as ambiguous."""
    if value is None:
        return None
    if not isinstance(value, str):
        _refuse(f"published_at must be an ISO 8601 string, not {type_name(value)}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        _refuse(
            f"published_at {value!r} is not an ISO 8601 date and time "
            "(e.g. 2024-09-22T01:36:59+08:00)"
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        _refuse(f"published_at {value!r} has no time zone (add +08:00 or Z)")
    if not in_range(moment):
        _refuse(f"published_at {value!r} is outside the years the site can show")
    return moment


def _language(value):
    """A well-formed BCP 47 tag in its conventional case (zh-Hans-CN, en-US)."""
    if value is None:
        return None
    if not isinstance(value, str):
        _refuse(f"language must be a string, not {type_name(value)}")
    tag = language_tag(value)
    if tag is None:
        _refuse(f"language {value!r} is not a BCP 47 tag such as zh, en or zh-Hant")
    return tag


def language_tag(value):
    """`value` as a BCP 47 tag in its conventional case, or None when it is not one: a feed's or
    an export's channel language is each item's only where it is well-formed."""
    tag = value.strip().replace("_", "-")
    if not _BCP47.match(tag) or len(tag) > _max_length(Article, "language"):
        return None
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


def in_range(moment):
    """Whether an aware datetime can be stored and shown, in UTC and in the site's zone: year 1
    in a zone east of UTC is before year 1 in UTC, which Python cannot hold."""
    try:
        moment.astimezone(UTC)
        moment.astimezone(timezone.get_default_timezone())
    except OverflowError:
        return False
    return True


def stand_in_title(body):
    """A title for an item its source gave none (RSS allows it, WordPress keeps drafts so): its
    first sentence, or its opening words (about 40 characters of Chinese, 80 of other
    languages), never a word cut; "" for a body without text."""
    text = html_to_text(body)
    length = 40 if _HAN.search(text[:80]) else 80
    sentence = _FIRST_SENTENCE.match(text)
    if sentence and len(sentence[0]) <= length:
        return sentence[0].rstrip("。.")
    return make_excerpt(text, byline="", length=length, is_summary=False) if text else ""


_FITTED = {
    "title": _max_length(Article, "title"),
    "original_title": _max_length(Article, "original_title"),
    "byline": _max_length(Article, "byline"),
    "original_author": _max_length(Article, "original_author"),
    "source_name": _max_length(Source, "name"),
}


def web_address(value, base=""):
    """`value` as an absolute http(s) URL, read as a browser reads a link: against `base`, with
    spaces and other characters a URL cannot hold percent-encoded; "" when it is none (a
    javascript: link, a malformed host)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        url = iri_to_uri(urllib.parse.urljoin(base or "", value.strip()))
        _validate_url(url)
    except (ValueError, ValidationError):
        return ""
    return url


def fitted(mapping):
    """A feed's, export's or page's mapping with its titles, names and tags cut to what their
    columns hold (with an ellipsis): WordPress and the web set no length, and a long title is
    no reason to leave the story out. JSON Lines, the operator's own format, is refused
    instead."""
    kept = dict(mapping)
    for key, length in _FITTED.items():
        value = kept.get(key)
        if isinstance(value, str) and len(value) > length:
            kept[key] = _shortened(value, length)
    for key, limit in (("authors", _max_length(Author, "name")), ("tags", TAG_MAX_LENGTH)):
        names = kept.get(key)
        if isinstance(names, list):
            kept[key] = [
                _shortened(n, limit) if isinstance(n, str) and len(n) > limit else n for n in names
            ]
    return kept


def _shortened(text, length):
    return text[: length - 1].rstrip() + "…"


class _MarkdownRenderer:
    """One reusable Markdown converter: building one per article costs more than converting."""

    def __init__(self):
        self._md = markdown.Markdown(extensions=["extra", "sane_lists"])

    def __call__(self, text):
        self._md.reset()
        return self._md.convert(text)


render_markdown = _MarkdownRenderer()


def _external_id(value):
    if isinstance(value, bool) or not isinstance(value, str | int):
        _refuse("external_id must be a string or a whole number")
    return str(value)


def _safe_html(html):
    html = sanitize_html(html)
    if not html.strip():
        _refuse("body is empty once unsafe HTML is removed")
    return html


def _category_path(category):
    if category is None:
        _refuse(CATEGORY_REQUIRED)
    try:
        return tuple(split_category_path(category))
    except ValidationError as error:
        if error.code == "not_string":
            _refuse(f"category must be a string such as 国际/亚太, not {type_name(category)}")
        if error.code == "too_long":
            name, longest = error.params["name"], error.params["max"]
            _refuse(f"category name {name[:40]!r} is longer than {longest}")
        _refuse(f"category {category!r} has an empty level")


def _http_url(key):
    def check(url):
        if url:
            try:
                _validate_url(url)
            except ValidationError:
                _refuse(f"{key} {url!r} is not an http(s) URL")
        return url

    return AfterValidator(check)


_null_is_empty = BeforeValidator(lambda value: "" if value is None else value)


def _text(max_length=None):
    """An optional string; null means empty."""
    return Annotated[str, StringConstraints(max_length=max_length), _null_is_empty]


def _names(key, max_length):
    """A list of names (tags, authors), each with its white space collapsed, without repeats."""

    def unique(names):
        kept = []
        for name in names:
            name = " ".join(name.split())
            if not name:
                _refuse(f"{key} contains an empty name")
            if len(name) > max_length:
                _refuse(f"{key}: {name[:40]!r}… is longer than {max_length} characters")
            if name not in kept:
                kept.append(name)
        return kept

    null_is_none = BeforeValidator(lambda value: [] if value is None else value)
    return Annotated[list[str], AfterValidator(unique), null_is_none]


class _Fields(BaseModel):
    """The keys of one record, in the order their problems are reported."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    external_id: (
        Annotated[
            str,
            StringConstraints(min_length=1, max_length=_max_length(Article, "external_id")),
            BeforeValidator(_external_id),
        ]
        | None
    ) = None
    title: Annotated[str, StringConstraints(min_length=1, max_length=_max_length(Article, "title"))]
    # A body may be missing (when body_markdown is given, see _one_body), never null.
    body: Annotated[str, StringConstraints(min_length=1), AfterValidator(_safe_html)] = None
    body_markdown: Annotated[
        str,
        StringConstraints(min_length=1),
        AfterValidator(lambda text: _safe_html(render_markdown(text))),
    ] = None
    category: Annotated[tuple, PlainValidator(_category_path)]
    status: Literal["draft", "published"] = "published"
    source_url: Annotated[_text(_max_length(Article, "source_url")), _http_url("source_url")] = ""
    summary: Annotated[_text(), AfterValidator(html_to_text)] = ""
    tags: _names("tags", TAG_MAX_LENGTH) = []
    byline: _text(_max_length(Article, "byline")) = ""
    authors: _names("authors", _max_length(Author, "name")) = []
    source_name: _text(_max_length(Source, "name")) = ""
    language: Annotated[str | None, PlainValidator(_language)] = None
    published_at: Annotated[datetime | None, PlainValidator(_published_at)] = None
    views: Annotated[int, Field(ge=0, le=COUNTER_MAX)] | None = None
    likes: Annotated[int, Field(ge=0, le=COUNTER_MAX)] | None = None
    image: Annotated[_text(), _http_url("image")] = ""
    original_title: _text(_max_length(Article, "original_title")) = ""
    original_author: _text(_max_length(Article, "original_author")) = ""
    editor: _text(_max_length(Article, "responsible_editor")) = ""

    @model_validator(mode="before")
    @classmethod
    def _xml_safe(cls, data):
        """Characters a page or feed could not carry (Word's vertical tab) are dropped first."""
        return strip_control_characters(data)

    @model_validator(mode="after")
    def _one_body(self):
        if self.body is not None and self.body_markdown is not None:
            _refuse("give either body or body_markdown, not both")
        if self.body is None and self.body_markdown is None:
            _refuse("body (HTML) or body_markdown is required")
        return self


# pydantic's error types, worded for the person who wrote the file.
_REASONS = {
    "model_type": "a line must hold a JSON object, not {kind}",
    "missing": "{key} is required",
    "string_type": "{key} must be a string, not {kind}",
    "string_too_short": "{key} is empty",
    "string_too_long": "{key} is longer than {max_length} characters",
    "list_type": "{key} must be a list of strings",
    "int_type": "{key} must be a whole number, not {kind}",
    "greater_than_equal": "{key} must not be negative",
    "less_than_equal": "{key} is too large",
    "literal_error": "{key} must be {expected}, not {input!r}",
}


def _reason(errors):
    """The first problem of a record, in the words of _REASONS; unknown keys come first."""
    unknown = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden")
    if unknown:
        return f"unknown key{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}"
    error = errors[0]
    kind, loc, value = error["type"], error["loc"], error["input"]
    if kind == "record":
        return error["msg"]
    if kind == "missing" and loc == ("category",):
        return CATEGORY_REQUIRED
    if kind == "string_type" and len(loc) > 1:
        kind = "list_type"  # an item of a list
    elif kind == "string_type" and value is None:
        kind = "missing"
    template = _REASONS.get(kind)
    if template is None:
        return f"{'.'.join(map(str, loc))}: {error['msg']}"
    context = error.get("ctx", {})
    return template.format_map(
        context
        | {
            "key": loc[0] if loc else "",
            "kind": type_name(value),
            "input": value,
            "expected": str(context.get("expected", "")).replace("'", ""),
        }
    )


def parse_record(data, *, line=0):
    """Validate one mapping from an import file; raises RecordError with the first problem."""
    try:
        fields = _Fields.model_validate(data)
    except SchemaError as error:
        raise RecordError(_reason(error.errors(include_url=False))) from None
    values = dict(fields)
    body, markdown_body = values.pop("body"), values.pop("body_markdown")
    return ArticleRecord(
        line=line,
        body=markdown_body if body is None else body,
        category_path=values.pop("category"),
        image_url=values.pop("image"),
        **values,
    )
