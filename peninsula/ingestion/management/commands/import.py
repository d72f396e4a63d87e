"""`peninsula import FILE.jsonl`: load articles from a file, reporting every bad line."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from peninsula.ingestion import jsonl

# Each source format has its own module; a file's extension picks it.
FORMATS = {".jsonl": jsonl.import_jsonl, ".ndjson": jsonl.import_jsonl}


class Command(BaseCommand):
    help = "Import articles from a JSON Lines file (see docs/import-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import, e.g. articles.jsonl")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="articles written per transaction"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="do not show the progress bar"
        )

    def handle(self, *args, file, batch_size, no_progress, verbosity, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        if path.is_dir():
            raise CommandError(f"{file} is a directory; give a .jsonl file")
        import_file = FORMATS.get(path.suffix.lower())
        if import_file is None:
            raise CommandError(
                f"{file}: unknown format {path.suffix or '(no extension)'}; "
                f"expected one of {', '.join(sorted(FORMATS))}"
            )
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            total = jsonl.count_lines(path)
            with tqdm(
                total=total,
                unit="line",
                file=sys.stderr,
                disable=no_progress or verbosity == 0 or None,
                desc="Importing",
            ) as bar:
                result = import_file(path, progress=bar.update, batch_size=batch_size)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None

        for error in result.errors:
            self.stderr.write(f"{file}: {error}")
        summary = f"{result.created} created, {result.updated} updated, {result.failed} failed"
        if result.failed:
            raise CommandError(f"{summary}. The lines above were not imported.")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(summary))
