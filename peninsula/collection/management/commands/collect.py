"""`peninsula collect [SOURCE]`: poll one source (by id or address), or every due one, now."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peninsula.collection.models import Feed
from peninsula.collection.services import feed_poll, feeds_collect_due


class Command(BaseCommand):
    help = "Poll a source now, or every source that is due (see docs/collection.md)."

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="a source's id or address")

    def handle(self, *args, source, verbosity, **options):
        if source:
            feed = self._feed(source)
            polls = [feed_poll(feed=feed)]
        else:
            polls = feeds_collect_due(budget=settings.COLLECTION_BUDGET)
        for poll in polls:
            line = (
                f"{poll.feed}: HTTP {poll.status or '-'}, {poll.new} new, {poll.updated} updated, "
                f"{poll.skipped} skipped, {poll.duplicates} duplicates, {poll.failed} failed"
            )
            if verbosity:
                self.stdout.write(line)
            for error in poll.errors.splitlines():
                self.stderr.write(f"{poll.feed}: {error}")
        if any(not poll.ok for poll in polls):
            raise CommandError("some sources could not be collected; see above")

    def _feed(self, source):
        found = Feed.objects.filter(url=source)
        if source.isdigit():
            found = Feed.objects.filter(pk=int(source))
        feed = found.select_related("category").first()
        if feed is None:
            raise CommandError(f"{source}: no such source (see `peninsula source list`)")
        return feed
