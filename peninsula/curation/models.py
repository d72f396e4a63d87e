"""推荐位 (slots) that editors fill on the home page, and 专题 (special topics).

What readers see of both goes through `Article.objects.published()`: an article unpublished,
expired or scheduled for later is left out of every slot and topic at once, with no row to
change (docs/curation.md).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.snippets.blocks import SnippetChooserBlock

from peninsula.content.models import Article


class Slot(ClusterableModel):
    """A named, ordered list of articles a template places with `{% slot "key" %}`."""

    LEAD, LIST, CAROUSEL, TICKER = "lead", "list", "carousel", "ticker"
    KINDS = [
        (LEAD, _("Lead story")),
        (LIST, _("Recommended list")),
        (CAROUSEL, _("Carousel")),
        (TICKER, _("Ticker")),
    ]

    name = models.CharField(_("name"), max_length=100)
    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_('Templates place the slot by this key: {% slot "key" %}.'),
    )
    kind = models.CharField(_("display"), max_length=20, choices=KINDS, default=LIST)
    limit = models.PositiveSmallIntegerField(
        _("entries shown"), default=8, help_text=_("At most this many current entries are shown.")
    )
    paths = models.TextField(
        _("shown on"),
        default="/",
        help_text=_(
            "The addresses of the pages that show this slot, one a line: they are refreshed "
            "when the slot changes."
        ),
    )

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["key"]

    def __str__(self):
        return self.name

    @property
    def path_list(self):
        return [line.strip() for line in self.paths.splitlines() if line.strip().startswith("/")]

    def clean(self):
        lines = [line.strip() for line in self.paths.splitlines() if line.strip()]
        bad = [line for line in lines if not line.startswith("/")]
        if bad:
            message = _("Each line must be a path starting with /: %(line)s")
            raise ValidationError({"paths": message % {"line": bad[0]}})


class SlotEntryQuerySet(models.QuerySet):
    def in_window(self, now=None):
        """Entries within their start and end times (whether their article may be shown is
        `Article.objects.published()`'s to say, see `shelf.load`)."""
        now = now or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now),
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        )

    def boundaries_between(self, since, until):
        """Entries that started or ended in (since, until]: the pages showing them changed."""
        return self.filter(
            Q(starts_at__gt=since, starts_at__lte=until) | Q(ends_at__gt=since, ends_at__lte=until)
        )


class SlotEntry(Orderable):
    """One article in a slot, optionally with its own headline and picture and a time window."""

    slot = ParentalKey(Slot, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    headline = models.CharField(
        _("headline"),
        max_length=255,
        blank=True,
        help_text=_("Shown instead of the article's title in this slot."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown instead of the article's cover image in this slot."),
    )
    starts_at = models.DateTimeField(
        _("starts"), null=True, blank=True, help_text=_("Empty: at once.")
    )
    ends_at = models.DateTimeField(
        _("ends"), null=True, blank=True, help_text=_("Empty: until removed.")
    )

    objects = SlotEntryQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("slot entry")
        verbose_name_plural = _("slot entries")
        indexes = [
            models.Index(fields=["starts_at"], name="slotentry_starts"),
            models.Index(fields=["ends_at"], name="slotentry_ends"),
        ]

    def __str__(self):
        return self.headline or str(self.article)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})


class TopicQuerySet(models.QuerySet):
    def published(self):
        return self.filter(live=True)


class Topic(models.Model):
    """A 专题: a running story's page, its articles in sections editors order."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in the topic's URL.")
    )
    introduction = models.TextField(_("introduction"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sections = StreamField(
        [
            (
                "section",
                blocks.StructBlock(
                    [
                        ("title", blocks.CharBlock(label=_("Section title"), max_length=100)),
                        (
                            "articles",
                            blocks.ListBlock(
                                SnippetChooserBlock(Article, label=_("Article")),
                                label=_("Articles"),
                            ),
                        ),
                    ],
                    label=_("Section"),
                    icon="list-ul",
                ),
            )
        ],
        verbose_name=_("sections"),
        blank=True,
    )
    live = models.BooleanField(
        _("published"), default=True, help_text=_("Shown to readers and listed.")
    )
    sort_order = models.IntegerField(
        _("sort order"), default=0, help_text=_("Lower numbers are listed first.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "-updated_at", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        TopicArticle.objects.write(self)

    def get_absolute_url(self):
        return reverse("curation:topic", kwargs={"slug": self.slug})

    def section_ids(self):
        """[(section title, [article id, …])] in the editors' order, from the stored JSON (no
        query: the articles are fetched for all sections at once)."""
        sections = []
        for block in self.sections.raw_data:
            if block.get("type") != "section":
                continue
            value = block.get("value") or {}
            ids = []
            for item in value.get("articles") or []:
                # A ListBlock stores items as {"type": "item", "value": id, "id": …}.
                pk = item.get("value") if isinstance(item, dict) else item
                if isinstance(pk, int) and pk not in ids:
                    ids.append(pk)
            sections.append((value.get("title") or "", ids))
        return sections

    def article_ids(self):
        return [pk for _title, ids in self.section_ids() for pk in ids]


class TopicArticleQuerySet(models.QuerySet):
    def write(self, topic):
        """The one writer of a topic's membership rows, from its sections."""
        self.filter(topic=topic).delete()
        ids = list(dict.fromkeys(topic.article_ids()))
        existing = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        self.bulk_create([TopicArticle(topic=topic, article_id=pk) for pk in ids if pk in existing])


class TopicArticle(models.Model):
    """Which topics an article is in (derived from `Topic.sections` on save), for the article
    page's links to its topics and for purging a topic when one of its articles changes."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="memberships")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")

    objects = TopicArticleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "topic"], name="topicarticle_unique")
        ]

    def __str__(self):
        return f"{self.article_id} in {self.topic_id}"
