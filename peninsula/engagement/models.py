"""What readers do with articles: likes, daily counts, and the precomputed rankings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Like(models.Model):
    """One visitor's like of one article; the unique constraint is what makes a like count once."""

    article = models.ForeignKey(
        "content.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    visitor_id = models.CharField(_("visitor id"), max_length=32)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint("article", "visitor_id", name="like_once_per_visitor")
        ]
        # A returning visitor's likes are read at once for the `pl` cookie.
        indexes = [models.Index(fields=["visitor_id"], name="like_visitor")]

    def __str__(self):
        return f"{self.visitor_id} → {self.article_id}"


class DailyStat(models.Model):
    """An article's views and likes on one day of the site's time zone, for windowed rankings."""

    article = models.ForeignKey(
        "content.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    views = models.PositiveBigIntegerField(_("views"), default=0)
    likes = models.PositiveBigIntegerField(_("likes"), default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [models.UniqueConstraint("article", "day", name="dailystat_one_row_per_day")]
        indexes = [models.Index(fields=["day"], name="dailystat_day")]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}/{self.likes}"


class HourlyStat(models.Model):
    """An article's views in one clock hour (UTC): what the rolling 24-hour ranking sums, since
    calendar days cannot say "the last 24 hours". Rows older than two days are deleted by the
    refresh_rankings job; DailyStat keeps the long history."""

    article = models.ForeignKey(
        "content.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField(_("hour"))
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("hourly count")
        verbose_name_plural = _("hourly counts")
        constraints = [
            models.UniqueConstraint("article", "hour", name="hourlystat_one_row_per_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="hourlystat_hour")]

    def __str__(self):
        return f"{self.article_id} {self.hour:%Y-%m-%d %H}h: {self.views}"


class CounterFlush(models.Model):
    """A batch of Redis counts already applied: a flush retried after a crash adds nothing."""

    batch = models.CharField(max_length=32, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.batch


class Ranking(models.Model):
    """One precomputed ranked list (kind × category), shared by every web process."""

    kind = models.CharField(max_length=20)
    category_id = models.BigIntegerField(default=0, help_text="0 for the whole site.")
    items = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint("kind", "category_id", name="ranking_one_per_scope")]

    def __str__(self):
        return f"{self.kind}/{self.category_id}"
