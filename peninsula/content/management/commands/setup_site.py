from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from peninsula.content.changes import demo_loaded
from peninsula.content.models import Article, RelatedArticle


class Command(BaseCommand):
    help = "Migrate, collect static files, and load the demo content into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Never load the demo content.")

    def handle(self, *args, no_demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo and not Article.objects.exists():
            demo = Path(settings.BASE_DIR) / "demo" / "articles.jsonl"
            self.stdout.write(f"Loading the demo content from {demo.name} …")
            call_command("import", str(demo))
            demo_loaded.send(sender=self.__class__)
        elif not RelatedArticle.objects.exists() and Article.objects.filter(live=True).exists():
            # A site upgraded from a version that computed related articles on every render.
            call_command("refresh_related")
