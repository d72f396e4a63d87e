"""The 评论 admin menu: the 评论审核 queue, and the rules of 栏目 and articles."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ArticleCommentRule, CategoryCommentRule, Comment, Status


class TextColumn(Column):
    """The comment's opening words, linked to its reply page; replies say whom they answer."""

    def get_value(self, instance):
        url = reverse("comments_admin:reply", args=[instance.pk])
        text = Truncator(instance.text).chars(80)
        prefix = _("Reply: ") if instance.parent_id else ""
        return format_html('{}<a href="{}">{}</a>', prefix, url, text)


class ArticleColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            instance.article.get_absolute_url(),
            Truncator(instance.article.title).chars(30),
        )


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comment moderation")
    url_prefix = "comments/queue"
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["text", "name"]
    list_filter = ["status", "is_staff_reply"]
    ordering = ["-created_at"]
    list_per_page = 50
    list_display = [
        TextColumn("text", label=_("Comment")),
        Column("name", label=_("Name")),
        Column("user", label=_("account")),
        ArticleColumn("article", label=_("Article")),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            primary=lambda comment: comment.status == Status.APPROVED,
        ),
        Column("held_reason", label=_("Held because")),
        Column("upvotes", label=_("顶"), sort_key="upvotes"),
        Column("address", label=_("Address")),
        DateColumn("created_at", label=_("Time"), sort_key="created_at"),
    ]
    # Editors correct the name and text; the status changes only through moderation, which
    # keeps the article's count.
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("text")])

    def get_queryset(self, request):
        return Comment.objects.select_related("article__category", "user")


class CategoryRuleViewSet(SnippetViewSet):
    model = CategoryCommentRule
    icon = "folder-open-inverse"
    menu_label = _("Comments by category")
    url_prefix = "comments/categories"
    copy_view_enabled = False
    list_display = ["category", "moderation", "closed"]
    edit_handler = ObjectList(
        [FieldPanel("category"), FieldPanel("moderation"), FieldPanel("closed")]
    )


class ArticleRuleViewSet(SnippetViewSet):
    model = ArticleCommentRule
    icon = "doc-full"
    menu_label = _("Comments by article")
    url_prefix = "comments/articles"
    copy_view_enabled = False
    list_display = ["article", "moderation", "closed"]
    search_fields = []
    edit_handler = ObjectList(
        [FieldPanel("article"), FieldPanel("moderation"), FieldPanel("closed")]
    )


class CommentsViewSetGroup(SnippetViewSetGroup):
    items = (CommentViewSet, CategoryRuleViewSet, ArticleRuleViewSet)
    menu_label = _("Comments")
    menu_icon = "comment"
    menu_order = 160
