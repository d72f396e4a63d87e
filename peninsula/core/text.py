"""Text utilities: excerpts that respect English words and Chinese characters, slugs, and the
removal of characters that XML cannot carry (see docs/security.md)."""

import html
import math
import re
import unicodedata
from itertools import pairwise

from django.utils.text import slugify

ELLIPSIS = "…"

# Elements whose content is never text a reader sees.
_INVISIBLE = re.compile(
    r"<(script|style|template|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
# Elements that start a new line of text; every other tag is dropped without a space, so that
# "<b>W</b>ord" stays one word.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|thead|tbody|tfoot|tr|td|th"
    r"|caption|figure|figcaption|section|article|aside|header|footer|nav|main|address)\b[^>]*>",
    re.IGNORECASE,
)
_INVISIBLE_OPEN = re.compile(r"<(?:script|style|template|noscript)\b|<!--", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_PARTIAL_TAG = re.compile(r"<[^>]*$")
# C0 controls but tab, newline and carriage return, lone surrogates, and U+FFFE/U+FFFF: the
# characters XML 1.0 forbids (Word pastes vertical tabs; a JSON escape can hold any of them).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# Punctuation after which a Chinese excerpt reads best when cut.
_CJK_BREAK = frozenset("，。；！？、：")
# Punctuation that must not stand right before the ellipsis (closing or opening).
_TRAILING = ",.;:!?，。；：！？、·—–-…/|\\([{“‘「『《〈（【〔" + '"' + "'"
# Abbreviations like "U.S." keep their final full stop.
_ABBREVIATION_END = re.compile(r"(?:^|\s)(?:[A-Za-z]\.){2,}$")
# A line that is only a byline, for bodies whose article has no byline field filled in.
_BYLINE_LINE = re.compile(
    r"^by\s*[:：]?\s*[A-Z][\w.'’-]*(?:[ ,]+(?:and\s+|&\s+)?[A-Z][\w.'’-]*){0,5}$", re.IGNORECASE
)
_BYLINE_PREFIX = r"(?:by|文\s*[/／]|本报记者|记者|通讯员|作者)\s*[:：]?\s*"
_BYLINE_SEPARATORS = r"[\s,，;；:：|·—–-]*"


def strip_control_characters(value):
    """`value` without the characters XML forbids; lists, tuples and dicts are cleaned through."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(map(strip_control_characters, value))
    if isinstance(value, dict):
        return {key: strip_control_characters(item) for key, item in value.items()}
    return value


def html_to_text(value):
    """Plain text of an HTML fragment, block elements separated by spaces, entities decoded."""
    if not value:
        return ""
    return join_lines(_html_to_lines(value))


def join_lines(lines):
    """Lines joined by a space, or by nothing between Chinese lines (a space there is a gap)."""
    if not lines:
        return ""
    parts = [lines[0]]
    for previous, line in pairwise(lines):
        if not (_is_cjk(previous[-1]) and _is_cjk(line[0])):
            parts.append(" ")
        parts.append(line)
    return "".join(parts)


def _html_to_lines(value):
    text = value or ""
    # Most HTML has no invisible element at all: one search tells, instead of a substitution.
    if _INVISIBLE_OPEN.search(text):
        text = _INVISIBLE.sub("", text)
        unclosed = _INVISIBLE_OPEN.search(text)
        if unclosed:
            # Only a cut-off fragment (see make_excerpt) ends inside a script or a comment.
            text = text[: unclosed.start()]
    text = _BLOCK_TAG.sub("\n", text)
    # Entities are decoded only after tags are gone, so "&lt;b&gt;" stays visible text.
    text = html.unescape(_TAG.sub("", text))
    # Each line with its white space collapsed to single spaces, empty ones dropped.
    return list(filter(None, map(" ".join, map(str.split, text.split("\n")))))


def excerpt_length():
    """The excerpt length editors set in the site settings, else the EXCERPT_LENGTH setting."""
    from peninsula.core.site import site_defaults

    return site_defaults().excerpt_length


def make_excerpt(value, *, byline="", length=100, is_summary=False):
    """A 简介 of about `length` characters from HTML or plain text.

    An editor's summary (`is_summary`) is kept whole, only flattened to text. A body loses its
    leading byline and is cut where a reader expects it: at a word boundary in English, after a
    full character (at punctuation where there is one nearby) in Chinese, with "…" when cut.
    """
    value = value or ""
    if is_summary:
        return html_to_text(value)
    # A long body is flattened from its start only; the rest cannot reach the excerpt.
    needed = length + len(byline) + 40
    if len(value) > 8 * needed:
        start = _PARTIAL_TAG.sub("", value[: 8 * needed])
        text = strip_byline(_html_to_lines(start), byline)
        if len(text) > length + 20:
            return _cut(text, length) + ELLIPSIS
    text = strip_byline(_html_to_lines(value), byline)
    if len(text) <= length:
        return text
    return _cut(text, length) + ELLIPSIS


def strip_byline(lines, byline):
    """The text of `lines` without the byline it starts with ("By Kim Bo-eun", glued or not)."""
    if not lines:
        return ""
    text = join_lines(lines)
    name = re.sub(r"^\s*" + _BYLINE_PREFIX, "", byline or "", flags=re.IGNORECASE).strip()
    if name:
        flexible_name = r"\s*".join(re.escape(part) for part in name.split())
        pattern = r"^(?:" + _BYLINE_PREFIX + r")?" + flexible_name + _BYLINE_SEPARATORS
        match = re.match(pattern, text, flags=re.IGNORECASE)
        if match:
            return text[match.end() :]
    elif len(lines) > 1 and len(lines[0]) <= 60 and _BYLINE_LINE.match(lines[0]):
        return join_lines(lines[1:])
    return text


def _is_cjk(char):
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK punctuation, kana, ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF
    )


def _joins_previous(char):
    """True for a code point that belongs to the character before it (never cut before it)."""
    code = ord(char)
    if code < 0x300:  # Latin text, quickly
        return False
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or code == 0x200D  # zero-width joiner
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xDC00 <= code <= 0xDFFF  # low surrogate
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0000 <= code <= 0xE01EF  # tags, variation selectors supplement
    )


def _is_character_boundary(text, i):
    """True when text[:i] ends on a whole user-perceived character."""
    before, after = text[i - 1], text[i]
    if _joins_previous(after):
        return False
    return not (before == "\u200d" or 0xD800 <= ord(before) <= 0xDBFF)


def _cut(text, length):
    """text[:n] for the best n <= length, with no trailing punctuation or space."""
    floor = max(1, length * 6 // 10)
    preferred = length * 8 // 10
    punctuation_cut = word_cut = None
    for i in range(length, floor - 1, -1):
        before, after = text[i - 1], text[i]
        if not _is_character_boundary(text, i):
            continue
        if punctuation_cut is None and before in _CJK_BREAK:
            punctuation_cut = i
        if word_cut is None and (
            after.isspace() or before.isspace() or _is_cjk(before) or _is_cjk(after)
        ):
            word_cut = i
        # Further left, punctuation would only be taken with no word cut found.
        if punctuation_cut is not None or (word_cut is not None and i <= preferred):
            break
    if punctuation_cut is not None and (word_cut is None or punctuation_cut >= preferred):
        cut = punctuation_cut
    elif word_cut is not None:
        cut = word_cut
    else:
        cut = length
        while cut > 1 and not _is_character_boundary(text, cut):
            cut -= 1
    return _trim_end(text[:cut])


def _trim_end(text):
    while True:
        text = text.rstrip()
        if not text or text[-1] not in _TRAILING or _ABBREVIATION_END.search(text):
            return text
        text = text[:-1]


def slug_for(name, *, fallback):
    """An ASCII slug; Chinese becomes pinyin (产品中心 → chanpinzhongxin, 国际News → guoji-news)."""
    spaced = name or ""
    if _HAN_RUN.search(spaced):
        # Its dictionaries take 55 MB and a third of a second: loaded for Chinese names only.
        from pypinyin import lazy_pinyin

        spaced = _HAN_RUN.sub(lambda m: " " + "".join(lazy_pinyin(m.group())) + " ", spaced)
    # slugify folds full-width and accented letters to ASCII and drops what it cannot fold.
    slug = slugify(spaced)[:90].strip("-")
    return slug or fallback


def free_slug(queryset, name, *, fallback, reserved=frozenset()):
    """A slug for `name` that no row of `queryset` has yet: 朝鲜, then chaoxian-2, chaoxian-3, …

    A slug in `reserved` (a path another part of the site owns) becomes `<slug>-news`.
    """
    base = slug_for(name, fallback=fallback)
    if base in reserved:
        base = f"{base}-news"
    slug, n = base, 2
    while queryset.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# Reading speeds of adult readers of screen text: about 400 Chinese characters a minute, and
# about 230 English words (Brysbaert 2019, "How many words do we read per minute?").
HAN_PER_MINUTE = 400
WORDS_PER_MINUTE = 230
_WORD = re.compile(r"[^\W\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff_]+(?:['’.-][^\W_]+)*")


def reading_minutes(value):
    """Whole minutes a reader needs for an HTML body; at least 1."""
    return max(1, math.ceil(reading_time(html_to_text(value))))


def reading_time(text):
    """Minutes a reader needs for plain text, counting Chinese by characters and everything else
    by words, so that mixed text ("美国与 NATO 峰会") is counted right; texts read one after
    the other add up."""
    han = sum(len(run) for run in _HAN_RUN.findall(text))
    words = len(_WORD.findall(_HAN_RUN.sub(" ", text)))
    return han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE
