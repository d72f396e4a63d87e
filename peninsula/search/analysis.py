"""Text analysis shared by the index and the queries, so that both sides agree token for token.

Chinese is segmented with jieba (its Rust binding, rjieba): precise mode gives the words in order
and search mode adds the shorter words inside long ones (无核化 → 无核, 核化). English and other
alphabetic words are case-folded and Snowball-stemmed (talks → talk, denuclearization and
denuclearize → denuclear). The result is plain space-separated tokens that any full-text engine
can index without knowing Chinese: SQLite FTS5's unicode61 tokenizer and PostgreSQL's 'simple'
configuration both split them exactly at the spaces.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import rjieba
import Stemmer

from peninsula.core.words import cut, prepare

# A query longer than this is cut before analysis; more clauses than MAX_CLAUSES are dropped.
MAX_QUERY_LENGTH = 256
MAX_CLAUSES = 12

_PART = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
_STEMMER = Stemmer.Stemmer("english")

# Words too common to narrow a search; dropped from a query unless it has nothing else.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "s",
        "t",
        "that",
        "the",
        "to",
        "was",
        "were",
        "with",
        "的",
        "了",
        "和",
        "与",
        "及",
        "在",
        "是",
        "也",
        "都",
        "就",
        "而",
        "之",
    ]
)


# Headline short forms that the stemmer cannot relate to their long form ("Denuke talks").
STEM_ALIASES = {"denuk": "denuclear"}


@lru_cache(maxsize=65536)
def normalise_word(word):
    """The index form of one word: stemmed when alphabetic ASCII, as it is otherwise."""
    if word.isascii() and word.isalpha():
        stem = _STEMMER.stemWord(word)
        return STEM_ALIASES.get(stem, stem)
    return word


@lru_cache(maxsize=262144)
def _normalise(token):
    """The index forms of one segmenter token (a token like "U.S." yields two).

    Cached: a text repeats its tokens (spaces, punctuation, common words) many times over, and
    indexing an import spends most of its time here otherwise.
    """
    return tuple(normalise_word(part) for part in _PART.findall(token.casefold()))


def words(text):
    """The words of `text` in reading order (precise segmentation), normalised."""
    return list(chain.from_iterable(map(_normalise, cut(text))))


def index_tokens(text):
    """The index text for `text`: its words in order, then the shorter words found inside them.

    The in-order words keep phrase positions exact; the extra sub-words are appended after them
    so that a query for 无核 finds 无核化 without breaking the adjacency of the phrase words.
    """
    tokens = cut(text)
    # A text repeats its tokens (spaces, punctuation, common words): each distinct token is
    # analysed once (and cached across texts) into its forms, each preceded by a space, and the
    # text is joined from those strings.
    distinct = dict.fromkeys(tokens)
    spaced = dict(zip(distinct, map(_spaced, distinct), strict=True))
    seen = set(chain.from_iterable(map(_normalise, distinct)))
    # Ranking is by tier and date, not term frequency, so each extra sub-word is needed once.
    extra = dict.fromkeys(chain.from_iterable(map(_search_sub_forms, distinct)))
    spaced_extra = [" " + form for form in extra if form not in seen]
    return ("".join(map(spaced.__getitem__, tokens)) + "".join(spaced_extra))[1:]


@lru_cache(maxsize=262144)
def _spaced(token):
    """The index forms of a token, each preceded by a space."""
    return "".join([" " + form for form in _normalise(token)])


@lru_cache(maxsize=65536)
def _search_sub_forms(word):
    """The index forms of the words jieba's search mode adds before `word`.

    That mode is precise mode plus, for each word of more than two characters, its two- and
    then three-character substrings that are dictionary words. Deriving them from the precise
    words, once per distinct word, spares segmenting every text a second time.
    """
    if len(word) <= 2:
        return ()
    grams = [word[i : i + 2] for i in range(len(word) - 1)]
    if len(word) > 3:
        grams += [word[i : i + 3] for i in range(len(word) - 2)]
    return tuple(chain.from_iterable(_normalise(gram) for gram in grams if rjieba.has_word(gram)))


@dataclass
class Query:
    """A parsed query: every term and every phrase must match (AND)."""

    terms: list = field(default_factory=list)
    phrases: list = field(default_factory=list)
    truncated: bool = False

    def __bool__(self):
        return bool(self.terms or self.phrases)

    @property
    def highlight_terms(self):
        """Every word to mark in a snippet."""
        found = dict.fromkeys(self.terms)
        for phrase in self.phrases:
            found.update(dict.fromkeys(phrase))
        return list(found)


def parse_query(raw):
    """Terms and "quoted phrases" of a reader's query; never raises, may be empty."""
    raw = prepare(raw).strip()
    truncated = len(raw) > MAX_QUERY_LENGTH
    raw = raw[:MAX_QUERY_LENGTH]
    phrases = []
    for match in _PHRASE.finditer(raw):
        phrase = words(next(group for group in match.groups() if group is not None))
        if len(phrase) > 1:
            phrases.append(phrase[:MAX_CLAUSES])
        elif phrase:
            raw += " " + phrase[0]
    terms = list(dict.fromkeys(words(_PHRASE.sub(" ", raw))))
    meaningful = [term for term in terms if term not in STOP_WORDS]
    terms = meaningful or terms
    clauses = len(phrases) + len(terms)
    if clauses > MAX_CLAUSES:
        truncated = True
        phrases = phrases[:MAX_CLAUSES]
        terms = terms[: MAX_CLAUSES - len(phrases)]
    return Query(terms=terms, phrases=phrases, truncated=truncated)
