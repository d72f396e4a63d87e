"""Result titles and snippets with the matched words marked."""

from django import template

from peninsula.core.text import html_to_text

from ..highlight import highlight, snippet

register = template.Library()


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
