"""The reader pages' Jinja2 environment gives what Django's templates gave them."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, RequestContext, Template, defaultfilters, engines
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from peninsula.content.tests.factories import ArticleFactory
from peninsula.core import jinja2 as jinja2_module
from peninsula.core.jinja2 import date
from peninsula.core.management.commands.makemessages import jinja2_messages_as_python

ROOT = Path(settings.BASE_DIR).resolve()


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def project_templates():
    """(name, source) of every Jinja2 template of the project (not of installed packages)."""
    env = engines["jinja2"].env
    for name in env.loader.list_templates():
        source, filename, _uptodate = env.loader.get_source(env, name)
        path = Path(filename).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            yield name, source


def test_every_text_of_the_reader_pages_has_its_chinese_translation():
    """The pages' msgids are Django's own (`{% trans %}` writes `%(name)s` as blocktranslate
    did). A text missing from the catalogue fails here rather than showing in English on the
    Chinese site."""
    env = engines["jinja2"].env
    missing, seen = [], 0
    with translation.override("zh-hans"):
        for name, source in project_templates():
            for _line, function, message in env.extract_translations(source):
                seen += 1
                if function == "ngettext":
                    singular, plural = message[:2]
                    if translation.ngettext(singular, plural, 1) == singular:
                        missing.append((name, singular))
                elif translation.gettext(message) == message:
                    missing.append((name, message))
    assert seen > 150
    assert not missing


def test_the_project_templates_are_found():
    names = {name for name, _source in project_templates()}
    assert {"base.html", "content/article_detail.html", "curation/slots/lead.html"} <= names


@pytest.mark.parametrize(
    ("django", "jinja"),
    [
        ('{{ when|date:"Y-m-d H:i:s" }}', '{{ when|date("Y-m-d H:i:s") }}'),
        ("{{ when|date:'c' }}", "{{ when|date('c') }}"),
        ("{{ when|date }}", "{{ when|date }}"),
        ("{{ text|linebreaksbr }}", "{{ text|linebreaksbr }}"),
        ("{{ text|linebreaks }}", "{{ text|linebreaks }}"),
        ("{{ text|urlencode }}", "{{ text|urlencode }}"),
        ("{{ text|truncatechars:5 }}", "{{ text|truncatechars(5) }}"),
        ('{% load i18n %}{% translate "Home" %}', '{{ _("Home") }}'),
        (
            "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} view"
            "{% plural %}{{ counter }} views{% endblocktranslate %}",
            "{% trans counter=n %}{{ counter }} view{% pluralize %}"
            "{{ counter }} views{% endtrans %}",
        ),
        (
            "{% load i18n %}{% blocktranslate with q=text %}Search: {{ q }}{% endblocktranslate %}",
            "{% trans q=text %}Search: {{ q }}{% endtrans %}",
        ),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_filters_and_translations_answer_as_djangos(django, jinja, language, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    values = {
        "when": timezone.make_aware(datetime.datetime(2026, 3, 1, 1, 2, 3), datetime.UTC),
        "text": "<b>Tom & Jerry</b>\n“引号” /a b?c=d",
        "n": 3,
    }
    with translation.override(language):
        assert render(jinja, **values) == Template(django).render(Context(values))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "when",
    [
        timezone.make_aware(datetime.datetime(2026, 3, 1, 1, 2, 3), datetime.UTC),
        timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 59, 59, 999999), datetime.UTC),
        datetime.datetime(7, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        datetime.datetime(2026, 6, 1, 8, 0),  # naive: shown as it is
    ],
    ids=["utc", "year-end", "year-7", "naive"],
)
@pytest.mark.parametrize("time_zone", ["Asia/Shanghai", "America/New_York"])
def test_numeric_dates_are_written_as_djangos_filter_writes_them(
    when, language, time_zone, settings
):
    settings.TIME_ZONE = time_zone
    with translation.override(language):
        for format_string in jinja2_module._NUMERIC_FORMATS:
            django = defaultfilters.date(template_localtime(when), format_string)
            assert date(when, format_string) == django, format_string
        assert date(when.date(), "Y-m-d") == defaultfilters.date(when.date(), "Y-m-d")
        assert date(when, "D, j N Y") == defaultfilters.date(template_localtime(when), "D, j N Y")
        # In a page, in the time zone active when the page began (core.scope).
        with timezone.override("Asia/Tokyo"):
            page = engines["jinja2"].from_string("{{ when|date('Y-m-d H:i') }}")
            expected = defaultfilters.date(template_localtime(when), "Y-m-d H:i")
            assert page.render({"when": when}) == expected


def test_a_missing_value_shows_nothing_as_in_django():
    assert render("[{{ missing }}|{{ missing.deeper.still }}|{{ page.query }}]") == "[||]"
    assert date(None) == date("") == ""


@pytest.mark.django_db  # RequestContext runs the context processors
def test_querystring_changes_the_request_query_as_djangos_tag():
    request = RequestFactory().get("/search/", {"q": "朝鲜 & 韩国", "page": "2", "category": ""})
    for change in ("page=3", "page=None"):
        django = Template(f"{{% querystring {change} %}}").render(RequestContext(request))
        assert render(f"{{{{ querystring({change}) }}}}", request=request) == django


def test_url_and_static_as_djangos_tags():
    django = Template(
        "{% load static %}{% url 'content:tag' slug='经济' %} {% static 'css/site.css' %}"
    ).render(Context())
    assert render("{{ url('content:tag', slug='经济') }} {{ static('css/site.css') }}") == django


def test_makemessages_reads_trans_blocks_on_their_lines():
    source = (
        '<p>{{ _("Home") }}</p>\n'
        "{% trans n=3 %}{{ n }} view{% pluralize %}{{ n }} views{% endtrans %}"
    )
    assert jinja2_messages_as_python(source).splitlines() == [
        "_('Home'); ",
        "ngettext('%(n)s view', '%(n)s views'); ",
    ]


def test_a_lazy_safe_text_is_shown_as_html_as_in_django():
    help_text = lazy(lambda: mark_safe("<ul><li>8 个字符</li></ul>"), str)()
    assert render("{{ text }}", text=help_text) == "<ul><li>8 个字符</li></ul>"
    assert render("{{ text }}", text=lazy(lambda: "<b>", str)()) == "&lt;b&gt;"


@pytest.mark.django_db
def test_a_page_translates_with_its_request_s_language_bound_once(rf):
    """A page rendered for a request finds `gettext` in its context (core.jinja2.translations),
    bound to the language active when it is rendered: the same texts as Django's."""
    source = (
        '{{ _("Home") }}|{% trans counter=n %}{{ counter }} view{% pluralize %}'
        "{{ counter }} views{% endtrans %}"
    )
    django_source = (
        '{% load i18n %}{% translate "Home" %}|{% blocktranslate count counter=n %}{{ counter }}'
        " view{% plural %}{{ counter }} views{% endblocktranslate %}"
    )
    template = engines["jinja2"].from_string(source)
    answers = {}
    for language in ["zh-hans", "en", "zh-hans"]:
        with translation.override(language):
            request = rf.get("/")
            page = template.render({"n": 3}, request=request)
            assert page == Template(django_source).render(Context({"n": 3}))
            answers.setdefault(language, page)
    assert answers["zh-hans"] != answers["en"] == "Home|3 views"


@pytest.mark.django_db
def test_reader_pages_are_not_looked_up_in_django_s_engine(client):
    """`render_page` asks the Jinja2 engine alone: Django's engine, asked first by Django's
    `render`, would answer each reader page's name with exceptions (and remember the miss)."""
    article = ArticleFactory(tags=["朝鲜"])
    (cached_loader,) = engines["django"].engine.template_loaders
    cached_loader.reset()
    pages = [
        "/",
        article.category.get_absolute_url(),
        article.get_absolute_url(),
        "/tag/朝鲜/",
        "/search/?q=Article",
        "/no-such-category/",
    ]
    for path in pages:
        assert client.get(path).status_code in (200, 404), path
    asked = set(cached_loader.get_template_cache)
    assert "content/article_detail.html" in engines["jinja2"].env.list_templates()
    assert asked.isdisjoint(engines["jinja2"].env.list_templates()), asked
