"""Reader comments (网友评论), their 顶 votes, and where comments are open and moderated.

Our own models rather than django-contrib-comments (docs/decisions.md): a plain foreign key to
the article, the indexes the two orders read, and a status the moderation queue filters on.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class Moderation(models.TextChoices):
    PRE = "pre", _("Pre-moderation: held until approved")
    POST = "post", _("Post-moderation: shown at once, removable")


class LinkPolicy(models.TextChoices):
    NOFOLLOW = "nofollow", _('Show links with rel="nofollow ugc"')
    HOLD = "hold", _("Hold comments with links for review")


class ReaderAccounts(models.TextChoices):
    """Whether readers comment under an account (peninsula.readers signs them up and in)."""

    OFF = "off", _("Off: readers give a name")
    OPTIONAL = "optional", _("Optional: signed-in readers comment under their account")
    REQUIRED = "required", _("Required: only signed-in readers may comment")


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    """The site's comment rules; a 栏目 or an article may be stricter (`CommentRule`)."""

    enabled = models.BooleanField(_("comments on"), default=True)
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.PRE
    )
    close_after_days = models.PositiveIntegerField(
        _("close after days"),
        default=0,
        help_text=_("Close an article's comments this many days after publication (0: never)."),
    )
    links = models.CharField(
        _("links in comments"),
        max_length=8,
        choices=LinkPolicy.choices,
        default=LinkPolicy.NOFOLLOW,
    )
    page_size = models.PositiveSmallIntegerField(_("comments per page"), default=20)
    accounts = models.CharField(
        _("reader accounts"),
        max_length=8,
        choices=ReaderAccounts.choices,
        default=ReaderAccounts.OFF,
        help_text=_("Whether readers sign up and sign in to comment."),
    )

    class Meta:
        verbose_name = _("comment settings")


class InheritedModeration(models.TextChoices):
    INHERIT = "", _("As the site (or the 栏目 above)")
    PRE = "pre", Moderation.PRE.label
    POST = "post", Moderation.POST.label


class CategoryCommentRule(models.Model):
    """A 栏目's own moderation mode, or comments closed in it (and the 栏目 below it)."""

    category = models.OneToOneField(
        "content.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=InheritedModeration.choices, blank=True
    )
    closed = models.BooleanField(_("comments closed"), default=False)

    class Meta:
        verbose_name = _("category comment rule")
        verbose_name_plural = _("category comment rules")

    def __str__(self):
        return str(self.category)


class ArticleCommentRule(models.Model):
    """Comments closed on one article (or its moderation set apart from its 栏目's)."""

    article = models.OneToOneField(
        "content.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=InheritedModeration.choices, blank=True
    )
    closed = models.BooleanField(_("comments closed"), default=False)

    class Meta:
        verbose_name = _("article comment rule")
        verbose_name_plural = _("article comment rules")

    def __str__(self):
        return str(self.article)


class Status(models.TextChoices):
    PENDING = "pending", _("Held")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class CommentQuerySet(models.QuerySet):
    def public(self):
        """The one definition of the comments readers see."""
        return self.filter(status=Status.APPROVED)

    def held(self):
        return self.filter(status=Status.PENDING)


class Comment(models.Model):
    """One reader's comment, or a reply to one (a single level: a reply's parent is top-level)."""

    article = models.ForeignKey(
        "content.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="comment_set",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    email = models.EmailField(_("email (never shown)"), blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    held_reason = models.CharField(_("held because"), max_length=200, blank=True)
    is_staff_reply = models.BooleanField(_("editor's reply"), default=False)
    upvotes = models.PositiveIntegerField(_("顶"), default=0, editable=False)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    visitor_id = models.CharField(_("visitor id"), max_length=32, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    external_id = models.CharField(
        _("external id"), max_length=200, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    # Wagtail's reference index would record every comment as a use of its article: four more
    # queries a post, and an article's 使用情况 listing its comments.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["article", "status", "parent", "-created_at", "-id"], name="comment_newest"
            ),
            models.Index(
                fields=["article", "status", "parent", "-upvotes", "-id"], name="comment_hottest"
            ),
            models.Index(fields=["status", "-created_at"], name="comment_queue"),
        ]

    def __str__(self):
        return f"{self.name}: {self.text[:40]}"


class Upvote(models.Model):
    """One visitor's 顶 of one comment; the unique constraint makes it count once."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    visitor_id = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("comment", "visitor_id", name="upvote_once_per_visitor")
        ]

    def __str__(self):
        return f"{self.visitor_id} → {self.comment_id}"
