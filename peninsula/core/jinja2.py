"""The Jinja2 environment of the reader's pages (docs/decisions.md, "Jinja2 for reader pages").

Public pages are rendered by Jinja2: the same pages through Django's template engine cost 55-65 %
of an uncached render. The admin, forms' widgets and e-mails stay on Django templates.

What Django's templates gave every page is here under the same names where Jinja2 allows:
`url()`, `static()`, `_()` and `{% trans %}` (Django's own catalogues, so msgids are unchanged),
and Django's filters the pages use. Each app adds its own functions with a Jinja2 extension in
its `jinja2tags.py`, listed in the TEMPLATES setting.
"""

import datetime
import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.shortcuts import render as django_render
from django.template import defaultfilters, engines
from django.templatetags.static import static as django_static
from django.utils import dateformat, timezone, translation
from django.utils.functional import Promise
from django.utils.html import strip_spaces_between_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import trans_real
from jinja2.runtime import new_context
from markupsafe import Markup

from jinja2 import ChainableUndefined, Environment, Template, pass_context

from . import fragments, reversing, scope

# Django names Chinese by script (zh-hans); browsers, screen readers and search engines expect
# a region tag in <html lang>.
HTML_LANG = {"zh-hans": "zh-CN", "zh-hant": "zh-TW"}

# The engine's name in the TEMPLATES setting (Django names a backend by its module).
JINJA2 = "jinja2"


def environment(**options):
    # As Django's templates: a missing value, or an attribute of one, shows as nothing (Django's
    # backend would print `{{ name }}` in DEBUG); a lazy text is shown as the text it gives, safe
    # if that is (a form's help text).
    env = Environment(**{**options, "undefined": ChainableUndefined, "finalize": _finalize})
    env.template_class = PageTemplate
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(
        gettext=translation.gettext,
        ngettext=translation.ngettext,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
        newstyle=False,
    )
    env.globals["_"] = _gettext
    env.globals.update(
        url=url,
        static=static,
        now=now,
        absolute_url=absolute_url,
        get_current_language=translation.get_language,
        language_buttons=language_buttons,
        language_choices=language_choices,
        pagination=pagination,
        querystring=querystring,
    )
    env.filters.update(
        date=date,
        html_lang=html_lang,
        linebreaks=defaultfilters.linebreaks_filter,
        linebreaksbr=defaultfilters.linebreaksbr,
        truncatechars=defaultfilters.truncatechars,
        floatformat=defaultfilters.floatformat,
        urlencode=defaultfilters.urlencode,
        spaceless=lambda html: mark_safe(strip_spaces_between_tags(html.strip())),
    )
    return env


class PageTemplate(Template):
    """A template whose render reads the page's scope once (core.scope)."""

    def render(self, *args, **kwargs):
        with scope.page():
            return super().render(*args, **kwargs)

    def new_context(self, vars=None, shared=False, locals=None):
        """Jinja2's, given the globals as one dict: Jinja2 hands over its ChainMap of the
        template's and the environment's globals, which the context then reads key by key,
        twice (25 µs a render, a quarter of a small part's)."""
        merged = {}
        for layer in reversed(self.globals.maps):
            merged.update(layer)
        return new_context(self.environment, self.name, self.blocks, vars, shared, merged, locals)


def render_page(request, template_name, context=None, *, status=None):
    """A reader page: Django's `render` of one of these templates, asked of this engine alone.
    Django's engine is asked first for any other name (the admin's templates are its own), and
    answers a name it lacks with three exceptions. Their tracebacks held the page's objects
    until the garbage collector ran: 6 µs a page and a third of its collections."""
    return django_render(request, template_name, context, status=status, using=JINJA2)


def render(template_name, values):
    """A template of the reader's pages rendered with `values` only (no request, no context
    processors but the active catalogue's, as `translations` gives a page): a part of a page, as
    HTML to place in it. Without it each `_()` looked the language up in a thread-local: half
    of the share block's 0.1 ms."""
    template = engines[JINJA2].env.get_template(template_name)
    return Markup(template.render({**_catalogue(), **values}))


def _catalogue():
    catalog = trans_real.catalog()
    return {"gettext": catalog.gettext, "ngettext": catalog.ngettext}


def translations(request):
    """A context processor: the active language's catalogue, bound once per page. `_()` and
    `{% trans %}` find `gettext` in the page's context before the environment's, which looks the
    language up in a thread-local on each of a page's 20 to 50 calls. (Every message given
    them is a literal, never empty: the catalogue's own gettext would answer "" with its
    header.)"""
    return _catalogue()


@pass_context
def _gettext(context, message):
    """`_("…")`: the `gettext` of the page's context (its catalogue, see `translations`) or of
    the environment, called directly where Jinja2's alias calls it through `Context.call`
    twice."""
    return context.resolve_or_missing("gettext")(message)


def _finalize(value):
    return str(value) if isinstance(value, Promise) else value


def url(name, *args, **kwargs):
    """`url("content:tag", slug=tag.slug)`: Django's `{% url %}`."""
    return reversing.reverse(name, args=args, kwargs=kwargs)


@functools.lru_cache(maxsize=512)
def static(path):
    """`static("css/site.css")`: the file's URL, remembered (the manifest never changes while a
    process runs; a settings change in tests forgets it)."""
    return django_static(path)


def _forget_static(**kwargs):
    static.cache_clear()


setting_changed.connect(_forget_static, dispatch_uid="jinja2-static-setting-changed")


def now(format_string):
    """`now("Y")`: Django's `{% now %}`, in the current time zone."""
    return dateformat.format(timezone.localtime(), format_string)


def _ymd(value):
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


# The numeric formats the pages print, written directly: Django's filter reads the format one
# letter at a time through its locale machinery (15 µs a date; an article page prints 4 to 14).
# They hold no names of days or months, so every language prints them alike.
_NUMERIC_FORMATS = {
    "c": datetime.datetime.isoformat,
    "Y-m-d": _ymd,
    "Y-m-d H:i": lambda value: f"{_ymd(value)} {value.hour:02d}:{value.minute:02d}",
    "Y-m-d H:i:s": lambda value: (
        f"{_ymd(value)} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    ),
    "m-d": lambda value: f"{value.month:02d}-{value.day:02d}",
    "m-d H:i": lambda value: (
        f"{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    ),
}


def date(value, format_string=None):
    """`|date("Y-m-d H:i")`: Django's filter, in the current time zone as Django's is."""
    if value in (None, ""):
        return ""
    numeric = _NUMERIC_FORMATS.get(format_string)
    if numeric is not None and isinstance(value, datetime.datetime):
        return numeric(_local(value))
    return defaultfilters.date(template_localtime(value), format_string)


def _local(value):
    """`template_localtime(value)`, in the page's time zone (core.scope) rather than one looked
    up in a thread-local for each date."""
    if (
        settings.USE_TZ
        and value.utcoffset() is not None
        and getattr(value, "convert_to_local_time", True)
    ):
        return value.astimezone(scope.time_zone())
    return value


def html_lang(language_code):
    """`LANGUAGE_CODE|html_lang`: the value for <html lang> (zh-hans → zh-CN)."""
    return HTML_LANG.get((language_code or "").lower(), language_code)


@pass_context
def absolute_url(context, path, query=""):
    """`absolute_url(path, query)`: the full URL, for canonical and alternate links."""
    request = context.get("request")
    target = f"{path}?{query}" if query else path
    return reversing.absolute(request, target) if request is not None else target


def language_choices():
    """The site's languages as Django's `get_language_info_list` gives them."""
    return [translation.get_language_info(code) for code, _name in settings.LANGUAGES]


def language_buttons():
    """The language switcher's buttons, the active language pressed. Rendered once per process
    for each active language (peninsula.core.fragments), since every page shows them."""
    values = {"LANGUAGE_CODE": translation.get_language()}
    return fragments.render("includes/language_buttons.html", values, key=None)


@pass_context
def pagination(context, page):
    """`pagination(page)`: the links of a paginated list (includes/pagination.html), rendered
    once per process for each list position (peninsula.core.fragments)."""
    if not page:
        return ""
    request = context.get("request")
    path = request.path if request is not None else ""
    key = (path, page.number, tuple(page.numbers), page.newer_query, page.older_query)
    return fragments.render("includes/pagination.html", {"page": page, "path": path}, key)


@pass_context
def querystring(context, **changes):
    """`querystring(page=2)`: Django's `{% querystring %}`, the request's query string with
    `changes` applied (None removes a parameter), starting with "?"."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return f"?{query.urlencode()}"
