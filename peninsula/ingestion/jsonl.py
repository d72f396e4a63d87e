"""JSON Lines import: one article per line, in the format of docs/import-format.md.

    from peninsula.ingestion.jsonl import import_jsonl
    result = import_jsonl("articles.jsonl")   # or any iterable of lines (str or bytes)
    result.created, result.updated, result.failed, result.errors

Blank lines are skipped. A line that is not valid UTF-8 or JSON, whose record is invalid, or
that is longer than PENINSULA_IMPORT_MAX_ITEM_BYTES is reported with its number (counting from
1) and the others still import; a long line is never held in memory whole.
"""

from pathlib import Path

from django.conf import settings

from .pipeline import ItemError, JsonText, import_items

BOM = b"\xef\xbb\xbf"


def import_jsonl(path_or_lines, *, progress=None, batch_size=500):
    """Import every line; `progress`, when given, is called with the number of lines read."""
    return import_items(jsonl_items(path_or_lines), progress=progress, batch_size=batch_size).result


def count_lines(path):
    """How many lines a file has, read in large chunks (for a progress bar's total)."""
    lines, last = 0, b"\n"
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def jsonl_items(path_or_lines):
    limit = settings.PENINSULA_IMPORT_MAX_ITEM_BYTES
    for number, raw in _numbered_lines(path_or_lines, limit):
        yield number, _parse_line(number, raw, limit)


def _numbered_lines(path_or_lines, limit):
    if isinstance(path_or_lines, str | Path):
        with open(path_or_lines, "rb") as file:
            yield from enumerate(_bounded_lines(file, limit), start=1)
    else:
        yield from enumerate(path_or_lines, start=1)


def _bounded_lines(file, limit):
    """The file's lines, each cut after `limit` + 1 bytes: enough to tell it is too long."""
    while line := file.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            # The rest of a line too long to import is skipped a megabyte at a time.
            while (rest := file.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def _parse_line(number, raw, limit):
    if len(raw) - raw.endswith(b"\n" if isinstance(raw, bytes) else "\n") > limit:
        size = f"{limit / 2**20:g} MB"
        return ItemError(f"longer than {size}, the limit for one article (IMPORT_MAX_ITEM_MB)")
    if isinstance(raw, bytes):
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return ItemError(f"not valid UTF-8 (byte {error.start + 1})")
    elif number == 1:
        raw = raw.removeprefix("\ufeff")
    if not raw.strip():
        return None
    return JsonText(raw)
