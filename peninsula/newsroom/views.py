"""The newsroom tools' pages: an article's views per day, its preview links, and the shared
preview that people outside the newsroom open."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView
from wagtail.admin.auth import require_admin_access
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.chooser import shared_context
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from peninsula.content.models import Article

from . import charts
from .models import PreviewLink
from .review import review_base
from .services import PREVIEW_LINK_DAYS, preview_link_create, preview_link_revoke


def article_for(user, pk):
    """The article, if the user may change it (an author: their own), else 403/404."""
    article = get_object_or_404(Article, pk=pk)
    policy = policy_registry.get_by_type(Article)
    if not policy.user_has_permission_for_instance(user, "change", article):
        raise PermissionDenied
    return article


class ArticleToolView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.article = article_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.article.title

    def get_breadcrumbs_items(self):
        viewset = Article.snippet_viewset
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(viewset.get_url_name("list")), "label": _("Articles")},
            {
                "url": reverse(viewset.get_url_name("edit"), args=[self.article.pk]),
                "label": self.article.title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "article": self.article}


class ArticleViewsView(ArticleToolView):
    """An article's views per day (its 阅读统计), as a chart drawn on the server."""

    page_title = _("Views per day")
    template_name = "newsroom/article_views.html"

    def get_context_data(self, **kwargs):
        series = charts.views_per_day(article_id=self.article.pk)
        return {
            **super().get_context_data(**kwargs),
            "chart": charts.chart(series),
            "chart_id": f"article-{self.article.pk}-views",
        }


class PreviewLinkForm(forms.Form):
    days = forms.TypedChoiceField(label=_("Open for"), coerce=int, initial=PREVIEW_LINK_DAYS[1])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (days, ngettext("%(days)s day", "%(days)s days", days) % {"days": days})
            for days in PREVIEW_LINK_DAYS
        ]


class PreviewLinksView(ArticleToolView):
    """The article's shared preview links: share a new one, copy or revoke those open."""

    page_title = _("Share a preview")
    template_name = "newsroom/preview_links.html"

    def post(self, request, *args, **kwargs):
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        preview_link_create(article=self.article, user=request.user, days=form.cleaned_data["days"])
        messages.success(request, _("Preview link made: copy it from the list below."))
        return redirect("newsroom_admin:preview_links", pk=self.article.pk)

    def get_context_data(self, **kwargs):
        links = self.article.preview_links.select_related("created_by")
        return {
            "form": PreviewLinkForm(),
            **super().get_context_data(**kwargs),
            "links": [
                (link, self.request.build_absolute_uri(link.get_absolute_url())) for link in links
            ],
        }


@require_POST
def preview_link_revoke_view(request, pk, link_pk):
    article = article_for(request.user, pk)
    link = get_object_or_404(PreviewLink, pk=link_pk, article=article)
    preview_link_revoke(link=link)
    messages.success(request, _("The preview link is closed."))
    return redirect("newsroom_admin:preview_links", pk=article.pk)


@require_safe
@never_cache
def shared_preview(request, token):
    """The latest version of the article, for whoever holds an open link: never cached (the
    page cache stores only views marked public, and this answer says no-store), never indexed,
    and the token is not passed on to the sites its links lead to."""
    link = PreviewLink.objects.for_token(token)
    if link is None:
        raise Http404
    article = link.article.get_latest_revision_as_object()
    response = article.serve_preview(request, article.default_preview_mode)
    response.render()
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


article_views = ArticleViewsView.as_view()
preview_links = PreviewLinksView.as_view()


@require_safe
def review_compare(request, pk):
    """The article's latest version against its review base (review.review_base), in Wagtail's
    comparison view."""
    article = article_for(request.user, pk)
    latest = article.get_latest_revision()
    base = review_base(article, latest)
    if latest is None or base is None:
        raise Http404
    name = Article.snippet_viewset.get_url_name("revisions_compare")
    return redirect(reverse(name, args=[article.pk, base.pk, latest.pk]))


LINK_CHOICES = 20


def linkable_articles(query):
    """Published articles whose title holds the query, newest first; the newest without one."""
    articles = Article.objects.published().select_related("category").defer("body")
    if query:
        articles = articles.filter(title__icontains=query)
    return articles.latest()[:LINK_CHOICES]


@require_admin_access
@require_safe
def article_link_chooser(request, parent_page_id=None):
    """The link chooser's 内部链接 tab, listing articles (newsroom.links): answers the modal
    workflow of Wagtail's page chooser script, or, for the search box's requests as one types,
    the list alone."""
    query = request.GET.get("q", "").strip()[:200]
    context = {**shared_context(request), "articles": linkable_articles(query), "query": query}
    if "q" in request.GET and "modal" not in request.GET:
        return render(request, "newsroom/article_link_results.html", context)
    return render_modal_workflow(
        request,
        "newsroom/article_link_chooser.html",
        None,
        context,
        json_data={"step": "browse", "parent_page_id": None},
    )
