"""`peninsula screening_words import FILE --action hold [--list 广告] [--replace]`, and
`peninsula screening_words test TEXT`: load a long list at once, or see what a text would get."""

import sys

from django.core.management.base import BaseCommand, CommandError

from peninsula.screening.models import Action
from peninsula.screening.services import parse_words, text_screen, words_import


class Command(BaseCommand):
    help = "Import sensitive words from a UTF-8 file (one a line), or screen a text."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("import", help="add the words of FILE (one a line; - for stdin)")
        load.add_argument("file")
        load.add_argument("--action", choices=Action.values, default=Action.HOLD)
        load.add_argument("--list", dest="list_name", default="")
        load.add_argument(
            "--replace", action="store_true", help="also set the action of listed words"
        )
        check = sub.add_parser("test", help="print what TEXT would get")
        check.add_argument("text")

    def handle(self, *args, what, **options):
        if what == "test":
            screening = text_screen(text=options["text"])
            self.stdout.write(f"{screening.action}: {screening.text}")
            for match in screening.matches:
                self.stdout.write(f"  {match.word} ({match.action}) at {match.start}–{match.end}")
            return
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8-sig") as handle:
                    text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        words = parse_words(text)
        too_long = [word for word in words if len(word) > 100]
        if too_long:
            raise CommandError(f"A word has at most 100 characters: {too_long[0][:20]}…")
        added, updated = words_import(
            words=words,
            action=options["action"],
            list_name=options["list_name"],
            replace=options["replace"],
        )
        self.stdout.write(f"{added} words added, {updated} changed, {len(words)} read.")
