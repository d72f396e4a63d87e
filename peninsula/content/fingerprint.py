"""Near-duplicate stories: a 64-bit SimHash over jieba words, compared by Hamming distance.

Two reports of one story, lightly edited by two outlets, differ in a few bits; different
stories differ in about half of them. Measured figures and the threshold: docs/collection.md.
Every article's fingerprint is stored on its row by the one writer of its derived rows
(`Article.save()`, `articles_bulk_write`), so a story is compared with every article here,
whichever way it came in.

The bit counts are summed for all words at once: each word's 64 hash bits are spread into
64 lanes of 32 bits of one Python integer (cached per word), so a text costs one multiply-add
per distinct word instead of 64 additions, and its lanes are read back with one `struct` call.
"""

import hashlib
import struct
from collections import Counter
from functools import lru_cache
from itertools import compress
from operator import mul

from peninsula.core.words import cut

BITS = 64
MASK = (1 << BITS) - 1
MIN_WORDS = 20  # fewer words give too few features for the distance to mean anything
NEAR = 8  # bits: at most this far apart is the same story (figures in docs/collection.md)

_LANE = 32  # bits per lane: a lane counts the words with its bit set, up to 4 billion
_LANES = struct.Struct(f"<{BITS}I")
# A byte's 8 bits, each moved to the low bit of its own lane.
_SPREAD_BYTE = [sum(1 << (_LANE * i) for i in range(8) if byte >> i & 1) for byte in range(256)]


@lru_cache(maxsize=262144)
def _spread(token):
    """The hash of the word a segmenter token counts as (case-folded), with bit i moved to
    lane i; 0 for spaces and punctuation, which are not words."""
    if not (token.strip() and any(ch.isalnum() for ch in token)):
        return 0
    digest = hashlib.blake2b(token.lower().encode(), digest_size=8).digest()
    value = 0
    for k, byte in enumerate(reversed(digest)):  # big-endian digest: the last byte is bits 0–7
        value |= _SPREAD_BYTE[byte] << (_LANE * 8 * k)
    return value


def simhash(title, text):
    """The fingerprint of a title and a plain text as a signed 64-bit integer (a
    BigIntegerField), or None when they have fewer than MIN_WORDS words."""
    counts = Counter(cut(title))
    counts.update(cut(text))
    spreads = list(map(_spread, counts))
    total = sum(compress(counts.values(), spreads))
    if total < MIN_WORDS:
        return None
    summed = sum(map(mul, counts.values(), spreads))
    lanes = _LANES.unpack(summed.to_bytes(_LANE * BITS // 8, "little"))
    # Bit i is set when more of the words have it set than not.
    value = sum(1 << i for i, lane in enumerate(lanes) if 2 * lane > total)
    return value - (1 << BITS) if value >> (BITS - 1) else value


def distance(a, b):
    return ((a ^ b) & MASK).bit_count()


def nearest(fingerprint, known):
    """(distance, value) of the closest of `known` (fingerprint, value) pairs within NEAR."""
    best = None
    for other, value in known:
        d = distance(fingerprint, other)
        if d <= NEAR and (best is None or d < best[0]):
            best = (d, value)
    return best
