from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peninsula.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a consistent online backup of the database and media files to a .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="The archive to write (default: backups/peninsula-<time>.tar.gz).",
        )

    def handle(self, *args, destination=None, **options):
        if destination is None:
            destination = Path("backups") / f"peninsula-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            backup_create(destination=destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {destination}"))
