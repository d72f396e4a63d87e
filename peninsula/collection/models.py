"""Sources collected on a schedule (采集源), the log of every poll and what each item became.

Named `Feed`, not `Source`: `content.Source` is the *name* an article credits (来源), while a
Feed is an address this site polls. See docs/collection.md.
"""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peninsula.content.models import Article, Category

MAX_BACKOFF = timedelta(hours=24)


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        """Enabled feeds whose next poll time has come (never polled first)."""
        now = now or timezone.now()
        return (
            self.filter(enabled=True)
            .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
            .order_by(F("next_poll_at").asc(nulls_first=True), "pk")
        )


class Feed(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", _("feed (RSS, Atom, JSON Feed)")
        PAGE = "page", _("list page")

    class Health(models.TextChoices):
        NEW = "new", _("not polled yet")
        OK = "ok", _("healthy")
        FAILING = "failing", _("failing")
        PAUSED = "paused", _("paused")

    name = models.CharField(_("name"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=500, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    every = models.PositiveIntegerField(
        _("poll every (minutes)"), default=30, help_text=_("How often the source is polled.")
    )
    review = models.BooleanField(
        _("review before publishing"),
        default=False,
        help_text=_("Collected items land as drafts for an editor to review (审核)."),
    )
    editor = models.CharField(
        _("responsible editor"),
        max_length=100,
        blank=True,
        help_text=_("Shown as 责任编辑 on the articles collected from this source."),
    )
    link_pattern = models.CharField(
        _("article link pattern"),
        max_length=200,
        blank=True,
        help_text=_(
            "List pages only: a regular expression the addresses of article links match. "
            "Left empty, links on the same site whose address holds a number or ends in "
            ".html are followed."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    # Added in the admin: fetched only from public addresses (docs/security.md); the command
    # line is the operator's and may reach any address.
    guarded = models.BooleanField(default=True, editable=False)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_status = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("collected source")
        verbose_name_plural = _("collected sources")
        ordering = ["name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(every__gte=1), name="feed_every_min")]

    def __str__(self):
        return self.name or self.url

    @property
    def health(self):
        if not self.enabled:
            return self.Health.PAUSED
        if self.failures:
            return self.Health.FAILING
        return self.Health.OK if self.last_polled_at else self.Health.NEW

    @property
    def health_label(self):
        return self.health.label

    @property
    def category_path(self):
        return "/".join(c.name for c in self.category.ancestors_and_self)

    def retry_delay(self):
        """After `failures` failures in a row the interval doubles each time, up to a day."""
        interval = timedelta(minutes=self.every)
        if not self.failures:
            return interval
        return min(interval * 2 ** min(self.failures, 16), max(MAX_BACKOFF, interval))

    def record_poll(self, poll):
        """Schedule the next poll from the outcome of `poll`, backing off after failures."""
        self.last_polled_at = poll.started_at
        self.last_status = poll.status
        self.last_error = poll.errors if not poll.ok else ""
        self.failures = 0 if poll.ok else self.failures + 1
        self.next_poll_at = poll.started_at + self.retry_delay()


class Poll(models.Model):
    """One poll of a feed: the editors' log of what collection did and why it failed."""

    feed = models.ForeignKey(
        Feed, verbose_name=_("collected source"), on_delete=models.CASCADE, related_name="polls"
    )
    started_at = models.DateTimeField(_("time"), db_index=True)
    seconds = models.FloatField(_("seconds"), default=0)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    failed = models.PositiveIntegerField(_("failed items"), default=0)
    errors = models.TextField(_("errors"), blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("collection log")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.feed} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M:%S}"


class Item(models.Model):
    """What one item of a feed became: its article, and the article it duplicates, if any.

    A near-duplicate (similar text to any recent article: collected, imported or written in the
    admin) is imported as a draft and points at that article (`duplicate_of`) for an editor to
    decide; nothing is dropped silently. Fingerprints are on the articles (`Article.simhash`).
    """

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=200)  # the item's GUID or link, as the feed names it
    article = models.ForeignKey(
        Article, verbose_name=_("article"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField(max_length=40, blank=True)  # of the item as last imported
    duplicate_of = models.ForeignKey(
        Article,
        verbose_name=_("duplicate of"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    similarity = models.FloatField(_("similarity"), null=True)
    created_at = models.DateTimeField(_("collected at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [models.UniqueConstraint(fields=["feed", "key"], name="item_feed_key")]

    def __str__(self):
        return str(self.article or self.key)
