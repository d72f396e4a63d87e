"""Small helpers every public template uses."""

from django import template
from django.utils import translation

from peninsula.core import fragments

register = template.Library()

# Django names Chinese by script (zh-hans); browsers, screen readers and search engines expect
# a region tag in <html lang>.
HTML_LANG = {"zh-hans": "zh-CN", "zh-hant": "zh-TW"}


@register.filter
def html_lang(language_code):
    """`{{ LANGUAGE_CODE|html_lang }}`: the value for <html lang> (zh-hans → zh-CN)."""
    return HTML_LANG.get((language_code or "").lower(), language_code)


@register.simple_tag(takes_context=True)
def language_buttons(context):
    """`{% language_buttons %}`: the language switcher's buttons, the active language pressed.
    Rendered once per process for each active language (peninsula.core.fragments), since every
    page shows them."""
    values = {"LANGUAGE_CODE": translation.get_language()}
    return fragments.render(context, "includes/language_buttons.html", values, key=None)


@register.simple_tag(takes_context=True)
def absolute_url(context, path, query=""):
    """`{% absolute_url path query %}`: the full URL, for canonical and alternate links."""
    request = context.get("request")
    url = f"{path}?{query}" if query else path
    return request.build_absolute_uri(url) if request is not None else url


@register.simple_tag(takes_context=True)
def pagination(context, page):
    """`{% pagination page %}`: the links of a paginated list (includes/pagination.html),
    rendered once per process for each list position (peninsula.core.fragments)."""
    if not page:
        return ""
    request = context.get("request")
    path = request.path if request is not None else ""
    key = (path, page.number, tuple(page.numbers), page.newer_query, page.older_query)
    return fragments.render(context, "includes/pagination.html", {"page": page, "path": path}, key)
