"""Near-duplicate stories: a 64-bit SimHash over jieba words, compared by Hamming distance.

Two reports of one story, lightly edited by two outlets, differ in a few bits; different
stories differ in about half of them. Measured figures and the threshold: docs/collection.md.
"""

import hashlib
from collections import Counter

import rjieba

from peninsula.core.text import html_to_text

BITS = 64
MASK = (1 << BITS) - 1
MIN_WORDS = 20  # fewer words give too few features for the distance to mean anything
NEAR = 8  # bits: at most this far apart is the same story (figures in docs/collection.md)


def simhash(title, body_html):
    """The item's fingerprint as a signed 64-bit integer (a BigIntegerField), or None."""
    words = Counter(
        word.lower()
        for word in rjieba.cut(f"{title}\n{html_to_text(body_html)}")
        if word.strip() and any(ch.isalnum() for ch in word)
    )
    if sum(words.values()) < MIN_WORDS:
        return None
    weights = [0] * BITS
    for word, count in words.items():
        bits = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        for i in range(BITS):
            weights[i] += count if bits >> i & 1 else -count
    value = sum(1 << i for i, weight in enumerate(weights) if weight > 0)
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
