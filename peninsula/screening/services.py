"""Screening a text against the sensitive-word lists: `text_screen(text=…)`.

The lists become one Aho–Corasick automaton (pyahocorasick) per process, so a text is scanned
once whatever the length of the lists. Each process builds it again when the lists' version row
(`WordsVersion`) has changed; the row is read at most every `REFRESH_SECONDS` (and again after a
purge, as every memo is), so a change reaches every process on every machine within that time,
and the process that made it at once.
"""

import threading
import uuid
from dataclasses import dataclass

import ahocorasick
from django.db import DatabaseError, IntegrityError, transaction

from peninsula.core.memo import Memo

from .models import SEVERITY, Action, ScreeningSettings, SensitiveWord, WordsVersion
from .normalize import fold, fold_word

REFRESH_SECONDS = 5.0
MASK_CHAR = "＊"
ALLOW = "allow"


@dataclass(frozen=True, slots=True)
class Match:
    """A listed word found in a text: the span `text[start:end]` it covers, padding included."""

    word: str
    action: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Screening:
    """The verdict on a text.

    `action` is the most severe action of the words found ("block", "hold", "mask"), or "allow".
    `text` is the text with the words whose action is "mask" replaced by ＊, one per character
    (the padding between their characters too); held and blocked words are left for the
    moderator to read. `matches` lists every occurrence, in order.
    """

    action: str
    text: str
    matches: tuple[Match, ...] = ()

    @property
    def words(self):
        """The distinct listed words found, in the order of their first occurrence."""
        return list(dict.fromkeys(match.word for match in self.matches))

    @property
    def blocked(self):
        return self.action == Action.BLOCK

    @property
    def held(self):
        return self.action == Action.HOLD


class Lists:
    """The automaton of one version of the lists."""

    def __init__(self, rows):
        self.automaton = ahocorasick.Automaton()
        for word, action in rows:
            key = fold_word(word)
            if not key:
                continue
            latin = key.isascii()
            known = self.automaton.get(key, None)
            if known is None or SEVERITY[action] > SEVERITY[known[1]]:
                self.automaton.add_word(key, (word, action, len(key), latin))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def matches(self, text):
        if self.empty or not text:
            return ()
        folded, places = fold(text)
        found = []
        for end, (word, action, length, latin) in self.automaton.iter(folded):
            start, last = places[end - length + 1], places[end]
            # A Latin word matches whole words only: "ass" is not in "class".
            if latin and not _at_word_edges(text, start, last):
                continue
            found.append(Match(word, action, start, last + 1))
        found.sort(key=lambda match: (match.start, match.end))
        return tuple(found)


def _at_word_edges(text, start, last):
    before = text[start - 1] if start > 0 else " "
    after = text[last + 1] if last + 1 < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def text_screen(*, text):
    """Screen `text` (a comment, a submission, an article's text) against the lists.

    Returns a `Screening`: the most severe action found, the text with "mask" words masked, and
    every match with its offsets in `text`. Matching ignores case, full-width forms,
    traditional characters and padding between characters (傻 逼, 傻*逼, ＳＢ); see normalize.py.
    """
    matches = _lists().matches(text or "")
    if not matches:
        return Screening(ALLOW, text or "")
    action = max((match.action for match in matches), key=SEVERITY.__getitem__)
    return Screening(Action(action).value, _masked(text, matches), matches)


def _masked(text, matches):
    spans = [(match.start, match.end) for match in matches if match.action == Action.MASK]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for index in range(start, end):
            if not chars[index].isspace():
                chars[index] = MASK_CHAR
    return "".join(chars)


# --- The lists' version, shared by processes ---

_state = Memo(timeout=REFRESH_SECONDS, max_entries=2)  # "version", "captcha"
_built = None  # (version, Lists)
_build_lock = threading.Lock()


def _version():
    def load():
        try:
            return WordsVersion.objects.filter(pk=1).values_list("version", flat=True).first() or ""
        except DatabaseError:  # before migrations, or the database away: keep what we have
            return _built[0] if _built else ""

    return _state.get("version", load)


def _lists():
    global _built
    version = _version()
    built = _built
    if built is not None and built[0] == version:
        return built[1]
    with _build_lock:
        if _built is not None and _built[0] == version:
            return _built[1]
        lists = Lists(SensitiveWord.objects.values_list("word", "action").iterator())
        _built = (version, lists)
        return lists


def words_changed():
    """Mark the lists changed: every process rebuilds its automaton (this one at once after the
    transaction commits). Call it after bulk writes, which send no signals."""
    token = uuid.uuid4().hex
    if not WordsVersion.objects.filter(pk=1).update(version=token):
        try:
            with transaction.atomic():
                WordsVersion.objects.create(pk=1, version=token)
        except IntegrityError:  # made meanwhile by another process
            WordsVersion.objects.filter(pk=1).update(version=token)
    _state.forget("version")
    transaction.on_commit(lambda: _state.forget("version"))


# --- The administrator's switches ---


def captcha_enabled():
    """Whether readers must answer a captcha (ScreeningSettings), read at most every few
    seconds."""

    def load():
        try:
            return bool(ScreeningSettings.objects.values_list("captcha_enabled", flat=True).first())
        except DatabaseError:
            return False

    return _state.get("captcha", load)


def settings_changed():
    _state.forget("captcha")
    transaction.on_commit(lambda: _state.forget("captcha"))


# --- Bulk entry ---


def parse_words(text):
    """The distinct lines of `text` that hold a letter or digit, in order; `#` starts a comment
    line."""
    words = []
    for line in text.splitlines():
        word = line.strip()
        if word and not word.startswith("#") and fold_word(word):
            words.append(word)
    return list(dict.fromkeys(words))


def words_import(*, words, action, list_name="", replace=False):
    """Add `words` to the lists in one transaction, and with `replace` give the ones already
    listed this action and list. Returns the numbers added and changed."""
    with transaction.atomic():
        known = dict(SensitiveWord.objects.values_list("word", "pk"))
        new = [
            SensitiveWord(word=word, action=action, list_name=list_name)
            for word in words
            if word not in known
        ]
        SensitiveWord.objects.bulk_create(new, batch_size=1000)
        updated = 0
        if replace:
            ids = [known[word] for word in words if word in known]
            for start in range(0, len(ids), 500):
                updated += SensitiveWord.objects.filter(pk__in=ids[start : start + 500]).update(
                    action=action, list_name=list_name
                )
        words_changed()
    return len(new), updated
