"""Text utilities: excerpts that respect English words and Chinese characters, and slugs."""

import html
import re

from django.utils.text import slugify
from pypinyin import lazy_pinyin

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def html_to_text(value):
    """Plain text of an HTML fragment, block elements separated by spaces."""
    text = _TAG.sub(" ", value or "")
    return _SPACE.sub(" ", html.unescape(text)).strip()


def make_excerpt(value, *, byline="", length=100, is_summary=False):
    text = html_to_text(value)
    if not is_summary and byline and text.startswith(byline):
        text = text[len(byline) :].lstrip()
    if len(text) <= length:
        return text
    cut = text[:length]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"


def slug_for(name, *, fallback):
    """An ASCII slug; Chinese names become pinyin (产品中心 → chanpinzhongxin)."""
    slug = slugify("-".join(lazy_pinyin(name)).replace("--", "-"))
    return slug[:90] or fallback
