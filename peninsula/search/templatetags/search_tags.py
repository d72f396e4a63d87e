"""The search box every page carries, and the marked-up titles and snippets of results."""

from django import template

from peninsula.core.text import html_to_text

from ..highlight import highlight, snippet

register = template.Library()


@register.inclusion_tag("search/includes/search_box.html", takes_context=True)
def search_box(context):
    """`{% load search_tags %}{% search_box %}`: a form that keeps the current query."""
    request = context.get("request")
    return {"q": request.GET.get("q", "") if request is not None else ""}


@register.simple_tag
def highlighted_title(article, query):
    return highlight(article.title, query.highlight_terms)


@register.simple_tag
def search_snippet(article, query):
    """The part of the body around the first match, or the start of the summary."""
    terms = query.highlight_terms
    for text in (html_to_text(article.body), article.summary or article.excerpt):
        marked = snippet(text, terms)
        if "<mark>" in marked:
            return marked
    return snippet(article.excerpt or html_to_text(article.body), terms)
