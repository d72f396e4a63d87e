"""JSON Lines import: one article per line, in the format of docs/import-format.md.

    from peninsula.ingestion.jsonl import import_jsonl
    result = import_jsonl("articles.jsonl")   # or any iterable of lines (str or bytes)
    result.created, result.updated, result.failed, result.errors

Blank lines are skipped. A line that is not valid UTF-8 or JSON, whose record is invalid, or
that is longer than PENINSULA_IMPORT_MAX_ITEM_BYTES is reported with its number (counting from
1) and the others still import; a long line is never held in memory whole.
"""

import json
from pathlib import Path

from django.conf import settings

from .records import RecordError, parse_record
from .writer import ArticleImporter

BOM = b"\xef\xbb\xbf"


def import_jsonl(path_or_lines, *, progress=None, batch_size=500):
    """Import every line; `progress`, when given, is called with the number of lines read."""
    importer = ArticleImporter(batch_size=batch_size)
    limit = settings.PENINSULA_IMPORT_MAX_ITEM_BYTES
    for number, raw in _numbered_lines(path_or_lines, limit):
        if progress is not None:
            progress(1)
        record = _parse_line(importer, number, raw, limit)
        if record is not None:
            importer.add(record)
    return importer.finish()


def count_lines(path):
    """How many lines a file has, read in large chunks (for a progress bar's total)."""
    lines, last = 0, b"\n"
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


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


def _parse_line(importer, number, raw, limit):
    if len(raw) - raw.endswith(b"\n" if isinstance(raw, bytes) else "\n") > limit:
        size = f"{limit / 2**20:g} MB"
        importer.fail(number, f"longer than {size}, the limit for one article (IMPORT_MAX_ITEM_MB)")
        return None
    if isinstance(raw, bytes):
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            importer.fail(number, f"not valid UTF-8 (byte {error.start + 1})")
            return None
    elif number == 1:
        raw = raw.removeprefix("\ufeff")
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        importer.fail(number, f"invalid JSON: {error.msg} (column {error.colno})")
        return None
    try:
        return parse_record(data, line=number)
    except RecordError as error:
        importer.fail(number, str(error))
        return None
