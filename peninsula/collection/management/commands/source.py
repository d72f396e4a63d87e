"""`peninsula source add URL --category PATH --every MINUTES [--draft]` and `peninsula source list`.

The command line is the operator's: a source added here may be on any address, loopback too.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from peninsula.collection.fetching import CollectError
from peninsula.collection.models import Feed
from peninsula.collection.services import feed_add


class Command(BaseCommand):
    help = "Add a source to collect on a schedule, or list the sources (see docs/collection.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="add a feed or a list page")
        add.add_argument("url")
        add.add_argument(
            "--category", required=True, metavar="PATH", help="its 栏目, e.g. 国际/亚太"
        )
        add.add_argument("--every", type=int, default=30, metavar="MINUTES", help="poll interval")
        add.add_argument("--draft", action="store_true", help="items wait for review (审核)")
        add.add_argument("--name", default="", help="defaults to the feed's or page's title")
        add.add_argument("--editor", default="", help="责任编辑 of its articles")
        actions.add_parser("list", help="list the sources and their health")

    def handle(self, *args, action, **options):
        if action == "add":
            self._add(**options)
        else:
            self._list()

    def _add(self, *, url, category, every, draft, name, editor, **_):
        if every < 1:
            raise CommandError("--every must be at least 1 minute")
        if not url.startswith(("http://", "https://")):
            raise CommandError(f"{url}: give an http:// or https:// address")
        if Feed.objects.filter(url=url).exists():
            raise CommandError(f"{url} is already a source")
        try:
            feed = feed_add(
                url=url,
                category=category,
                every=every,
                review=draft,
                name=name,
                editor=editor,
                guarded=False,
            )
        except CollectError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(f"--category: {'; '.join(error.messages)}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Added source {feed.pk}: {feed} ({feed.get_kind_display()})")
        )

    def _list(self):
        for feed in Feed.objects.select_related("category"):
            polled = feed.last_polled_at
            when = f"{timezone.localtime(polled):%Y-%m-%d %H:%M}" if polled else "-"
            self.stdout.write(
                "\t".join(
                    [
                        str(feed.pk),
                        str(feed),
                        feed.url,
                        feed.category_path,
                        f"every {feed.every} min",
                        "review" if feed.review else "publish",
                        str(feed.health_label),
                        f"last {when}",
                        feed.last_error.splitlines()[0] if feed.last_error else "",
                    ]
                ).rstrip()
            )
