"""读者投稿 in the admin: the list of stories with their senders, for editors."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from peninsula.content.models import Article

from .models import Submission


class ArticleColumn(Column):
    def get_value(self, instance):
        url = reverse(Article.snippet_viewset.get_url_name("edit"), args=[instance.article_id])
        return format_html('<a href="{}">{}</a>', url, instance.article.title)


class SubmissionViewSet(SnippetViewSet):
    model = Submission
    icon = "mail"
    menu_label = _("Reader submissions")
    menu_name = "submissions"
    add_to_admin_menu = True
    menu_order = 20
    copy_view_enabled = False
    list_display = [
        ArticleColumn("article", label=_("Story")),
        "name",
        "contact",
        "screening",
        DateColumn("created_at", label=_("Received"), sort_key="created_at"),
    ]
    list_filter = ["screening"]

    def get_queryset(self, request):
        return Submission.objects.select_related("article")


register_snippet(SubmissionViewSet)
