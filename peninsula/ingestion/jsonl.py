"""JSON Lines import: one article per line, in the format of docs/import-format.md.

    from peninsula.ingestion.jsonl import import_jsonl
    result = import_jsonl("articles.jsonl")   # or any iterable of lines (str or bytes)
    result.created, result.updated, result.failed, result.errors

Blank lines are skipped. A line that is not valid UTF-8 or JSON, or whose record is invalid,
is reported with its number (counting from 1) and the others still import.
"""

import json
from pathlib import Path

from .pipeline import ItemError, import_items

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
    for number, raw in _numbered_lines(path_or_lines):
        yield number, _parse_line(number, raw)


def _numbered_lines(path_or_lines):
    if isinstance(path_or_lines, str | Path):
        with open(path_or_lines, "rb") as file:
            yield from enumerate(file, start=1)
    else:
        yield from enumerate(path_or_lines, start=1)


def _parse_line(number, raw):
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
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        return ItemError(f"invalid JSON: {error.msg} (column {error.colno})")
