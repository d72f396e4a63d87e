"""Segmenting text into jieba words, once per text for everything that needs its words.

The search index and the articles' near-duplicate fingerprints both read an article's words.
Segmentation (rjieba, jieba's Rust binding) is the dearest step of either, so the words of the
texts segmented lately are kept, joined into one string (a few bytes per character, where a
list of word objects would take about fifty per word), and the second reader of a text reuses
them: the bulk writer fingerprints a batch of articles, and the index reads the same texts
right after the batch commits.
"""

import re
import unicodedata
from functools import lru_cache, partial

import rjieba

# Enough for the texts of a batch of the bulk writer (500 articles) and the index behind it;
# longer texts are segmented each time, so that the memo stays a few megabytes.
MEMO_TEXTS = 1024
MEMO_MAX_CHARS = 8000
# Not a character of any text that reaches the segmenter (control characters are stripped at
# every way in), so it can separate words.
_SEPARATOR = "\x00"

_IDEOGRAPHS = re.compile(r"([\u4e00-\u9fff]+)")
_COMMON_COMPATIBILITY = [
    (char, unicodedata.normalize("NFKD", char)) for char in "，：；？！（）…\u3000"
]
_nfkc = partial(unicodedata.normalize, "NFKC")


def prepare(text):
    """NFKC, which folds full-width letters and digits (Ｋｉｍ２０２４) into their ASCII forms.

    The same result, faster on Chinese text: the full-width punctuation nearly every Chinese
    text has is replaced by its compatibility decomposition first (which NFKC would arrive at
    anyway), so that most texts are then already normalised. Otherwise only the text between
    runs of CJK ideographs is normalised: an ideograph neither changes nor combines with its
    neighbours, and NFKC would decompose and recompose each one.
    """
    text = text or ""
    if text.isascii():
        return text
    for wide, decomposed in _COMMON_COMPATIBILITY:
        text = text.replace(wide, decomposed)
    if unicodedata.is_normalized("NFKC", text):
        return text
    parts = _IDEOGRAPHS.split(text)
    parts[::2] = map(_nfkc, parts[::2])
    return "".join(parts)


def cut(text):
    """The tokens of `text` (prepared) in reading order, jieba's precise mode: words, spaces and
    punctuation, which joined give the prepared text back."""
    text = prepare(text)
    if len(text) > MEMO_MAX_CHARS or _SEPARATOR in text:
        return rjieba.cut(text)
    return _joined_cut(text).split(_SEPARATOR) if text else []


@lru_cache(maxsize=MEMO_TEXTS)
def _joined_cut(text):
    return _SEPARATOR.join(rjieba.cut(text))
