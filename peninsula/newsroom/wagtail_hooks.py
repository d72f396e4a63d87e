"""The newsroom tools in the admin: their pages, the article edit page's buttons to them, the
dashboard's views chart and the body's live word count."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import HeaderButton
from wagtail.permissions import policy_registry

from peninsula.content.models import Article

from . import admin_urls, charts, links
from .review import review_base


@hooks.register("register_admin_urls")
def register_newsroom_urls():
    return [path("newsroom/", include(admin_urls))]


@hooks.register("peninsula_article_header_buttons")
def article_tool_buttons(request, article):
    """阅读统计 and 分享预览 on the article's edit page (content.viewsets.ArticleEditView), and
    比较修改 while it is in review."""
    buttons = []
    if article.workflow_in_progress and review_base(article):
        buttons.append(
            HeaderButton(
                _("Compare changes"),
                url=reverse("newsroom_admin:review_compare", args=[article.pk]),
                icon_name="history",
                attrs={"data-newsroom": "review-compare"},
            )
        )
    return [
        *buttons,
        HeaderButton(
            _("Views per day"),
            url=reverse("newsroom_admin:article_views", args=[article.pk]),
            icon_name="view",
            attrs={"data-newsroom": "views-button"},
        ),
        HeaderButton(
            _("Share a preview"),
            url=reverse("newsroom_admin:preview_links", args=[article.pk]),
            icon_name="link",
            attrs={"data-newsroom": "share-preview"},
        ),
    ]


class ViewsChartPanel(Component):
    """The dashboard's chart of the whole site's views per day."""

    name = "newsroom_views"
    order = 60
    template_name = "newsroom/dashboard_views_panel.html"

    def get_context_data(self, parent_context):
        return {"chart": charts.chart(charts.views_per_day()), "chart_id": "site-views"}


@hooks.register("construct_homepage_panels")
def add_views_chart_panel(request, panels):
    if policy_registry.get_by_type(Article).user_has_permission(request.user, "change"):
        panels.append(ViewsChartPanel())


@hooks.register("insert_editor_js")
def word_count_js():
    """The body's live 字数统计; a file, not an inline script (the admin's CSP)."""
    return format_html(
        '<script src="{}" data-label="{}" defer></script>',
        static("newsroom/js/word-count.js"),
        gettext("Word count: %(total)s (Chinese characters %(han)s, words %(words)s)"),
    )


@hooks.register("register_rich_text_features", order=100)
def article_links(features):
    """After Wagtail's own link rules, which these replace (newsroom.links)."""
    features.register_link_type(links.ArticleLinkHandler)
    features.register_converter_rule("contentstate", "link", links.CONTENTSTATE_RULE)
