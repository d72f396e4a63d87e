"""Text folded for matching, with each folded character's place in the original text.

A word list says 傻逼; readers write 傻 逼, 傻*逼, ＳＢ, 傻逼 in traditional script, or SB. Folding
takes every character through NFKC (full-width forms, compatibility characters), case folding and
traditional → simplified Chinese, and drops what is not a letter or a digit (spaces, punctuation,
symbols, zero-width and combining characters), so padding between the characters of a word does
not hide it. Each folded character remembers the index of the character it came from, so a match
in the folded text masks the right span of what the reader wrote.

Traditional → simplified uses zhconv's MediaWiki table (the one Chinese Wikipedia converts with),
taken one character to one character: phrase conversions could change lengths and lose the
offsets, and a word list needs characters, not phrasing.
"""

import json
import unicodedata
from functools import lru_cache
from importlib import resources

# Categories kept: letters and digits. Everything else is padding.
_KEPT = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No"})


@lru_cache(maxsize=1)
def _simplified():
    """{traditional character: simplified character} from zhconv's table, one to one."""
    with resources.files("zhconv").joinpath("zhcdict.json").open("rb") as handle:
        table = json.load(handle)["zh2Hans"]
    return {
        ord(source): target
        for source, target in table.items()
        if len(source) == 1 and len(target) == 1 and source != target
    }


@lru_cache(maxsize=65536)
def fold_char(char):
    """The folded form of one character: '' for padding, else one or more characters."""
    folded = unicodedata.normalize("NFKC", char).casefold().translate(_simplified())
    return "".join(c for c in folded if unicodedata.category(c) in _KEPT)


def fold(text):
    """The folded text and, for each of its characters, the index in `text` it came from."""
    chars = []
    places = []
    for index, char in enumerate(text):
        if char.isascii():  # the common case, without the table look-up
            if char.isalnum():
                chars.append(char.lower())
                places.append(index)
            continue
        folded = fold_char(char)
        if folded:
            chars.append(folded)
            places.extend([index] * len(folded))
    return "".join(chars), places


def fold_word(word):
    """A list word as it is matched."""
    return fold(word)[0]
