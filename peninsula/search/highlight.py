"""Snippets of the original text with the matched words wrapped in <mark>.

Highlighting works on the text as written, not on the index tokens: Chinese query words are
found as substrings, alphabetic words by comparing stems, so "talks" in the text is marked for
a query "talk".
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import normalise_word

_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


def _spans(text, terms):
    """Sorted, non-overlapping (start, end) spans of `text` that match any of `terms`."""
    latin = {term for term in terms if term.isascii()}
    other = sorted((term for term in terms if not term.isascii()), key=len, reverse=True)
    spans = []
    if latin:
        for match in _LATIN_WORD.finditer(text):
            word = match.group().casefold()
            if word in latin or normalise_word(word) in latin:
                spans.append(match.span())
    if other:
        pattern = re.compile("|".join(re.escape(term) for term in other), re.IGNORECASE)
        spans.extend(match.span() for match in pattern.finditer(text))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text, spans, offset=0):
    parts, position = [], offset
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight(text, terms):
    """All of `text`, escaped, with every match marked."""
    return mark_safe(_render(text, _spans(text, terms)))


def snippet(text, terms, *, length=160, before=40):
    """About `length` characters of `text` around its first match, escaped and marked."""
    spans = _spans(text, terms)
    start = max(spans[0][0] - before, 0) if spans else 0
    end = min(start + length, len(text))
    window = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
    body = _render(text[:end], window, offset=start)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)
