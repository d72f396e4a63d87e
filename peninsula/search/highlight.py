"""Snippets of the original text with the matched words wrapped in <mark>.

Highlighting works on the text as written, not on the index tokens: Chinese query words are
found as substrings, alphabetic words by comparing stems, so "talks" in the text is marked for
a query "talk".

A snippet looks at no more of the text than it must: up to the first match, then the words of
its window. Stemming every word of a body cost 150 µs a result for an English query, more than
the rest of the results page.
"""

import html
import re
from functools import lru_cache

from django.utils.safestring import mark_safe

from .analysis import normalise_word

_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


class _Terms:
    """A query's words, ready to find: ASCII words by their index form, the others (Chinese)
    as substrings, the longest first."""

    def __init__(self, terms):
        self.latin = frozenset(term for term in terms if term.isascii())
        other = sorted((term for term in terms if not term.isascii()), key=len, reverse=True)
        self.other = (
            re.compile("|".join(re.escape(term) for term in other), re.IGNORECASE)
            if other
            else None
        )

    def is_latin_match(self, word):
        word = word.casefold()
        return word in self.latin or normalise_word(word) in self.latin

    def first(self, text):
        """Where the first match in `text` starts, or None."""
        found = []
        if self.latin:
            found.extend(
                match.start() for match in _first(_LATIN_WORD.finditer(text), self.is_latin_match)
            )
        if self.other:
            match = self.other.search(text)
            if match:
                found.append(match.start())
        return min(found, default=None)

    def spans(self, text, start=0, end=None):
        """Sorted, non-overlapping (start, end) spans of the matches in `text` that overlap
        text[start:end], as a scan of the whole text finds them."""
        end = len(text) if end is None else end
        spans = []
        if self.latin:
            # From the start of the word the range begins in: the scan then meets the same
            # words as one from the start of the text.
            words = _LATIN_WORD.finditer(text, _word_start(text, start))
            for match in words:
                if match.start() >= end:
                    break
                if match.end() > start and self.is_latin_match(match.group()):
                    spans.append(match.span())
        if self.other:
            # Matches of the alternation depend on the ones before: scanned from the start.
            for match in self.other.finditer(text):
                if match.start() >= end:
                    break
                if match.end() > start:
                    spans.append(match.span())
        spans.sort()
        merged = []
        for span_start, span_end in spans:
            if merged and span_start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(span_end, merged[-1][1]))
            else:
                merged.append((span_start, span_end))
        return merged


def _first(matches, test):
    for match in matches:
        if test(match.group()):
            return [match]
    return []


def _word_start(text, position):
    while position > 0 and _LATIN_WORD.match(text, position - 1, position):
        position -= 1
    return position


@lru_cache(maxsize=256)
def _terms(terms):
    return _Terms(terms)


def _render(text, spans, offset=0):
    parts, position = [], offset
    for start, end in spans:
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def highlight(text, terms):
    """All of `text`, escaped, with every match marked."""
    return mark_safe(_render(text, _terms(tuple(terms)).spans(text)))


def snippet(text, terms, *, length=160, before=40):
    """About `length` characters of `text` around its first match, escaped and marked."""
    found = _terms(tuple(terms))
    first = found.first(text)
    start = max(first - before, 0) if first is not None else 0
    end = min(start + length, len(text))
    window = [(max(s, start), min(e, end)) for s, e in found.spans(text, start, end)]
    body = _render(text[:end], window, offset=start)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)
