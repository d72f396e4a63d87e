from django.core.management.base import BaseCommand, CommandError

from peninsula.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and media files from an archive written by `peninsula backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup archive.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds articles."
        )

    def handle(self, *args, source, force=False, **options):
        try:
            manifest = backup_restore(source=source, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup made at {manifest['created_at']}.")
        )
