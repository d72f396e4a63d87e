"""The fragment memo: rendered once per key, never stale, bounded, separate per language."""

import pytest
from django import template
from django.template import Context, Engine
from django.template.base import Template
from django.utils import translation

from peninsula.core import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def greeting(context, name):
    return fragments.render(context, "greeting.html", {"name": name}, key=(name,))


@pytest.fixture
def page():
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    "greeting.html": "{% load i18n %}{% translate 'Home' %}, {{ name }}!",
                    "page.html": "{% load fragments_test %}{% greeting name %}",
                },
            )
        ],
        libraries={"fragments_test": __name__, "i18n": "django.templatetags.i18n"},
    )
    fragments.forget_all()
    # The site's language, whatever a test before this one left active in this thread.
    with translation.override("zh-hans"):
        yield lambda name: engine.get_template("page.html").render(Context({"name": name}))
    fragments.forget_all()


@pytest.fixture
def renders(monkeypatch):
    """The names of the templates rendered through the engine, in order."""
    names, real_render = [], Template.render

    def render(self, context):
        names.append(self.name)
        return real_render(self, context)

    monkeypatch.setattr(Template, "render", render)
    return names


def test_a_fragment_is_rendered_once_per_key(page, renders):
    assert page("<Kim>") == page("<Kim>") == "首页, &lt;Kim&gt;!"
    assert renders.count("greeting.html") == 1


def test_new_inputs_make_a_new_entry_rather_than_showing_the_old_one(page):
    assert page("Kim") == "首页, Kim!"
    assert page("Lee") == "首页, Lee!"


def test_the_language_is_part_of_the_key(page):
    with translation.override("en"):
        assert page("Kim") == "Home, Kim!"
    with translation.override("zh-hans"):
        assert page("Kim") == "首页, Kim!"


def test_the_memo_keeps_only_the_most_recently_used_entries(page, renders, monkeypatch):
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 2)
    page("a"), page("b"), page("a"), page("c")
    assert renders.count("greeting.html") == 3
    page("a")  # kept: used more recently than "b"
    assert renders.count("greeting.html") == 3
    page("b")
    assert renders.count("greeting.html") == 4
