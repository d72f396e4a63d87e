"""The fragment memo: rendered once per key, never stale, bounded, separate per language."""

import threading

import pytest
from django.template import engines
from django.utils import translation

from jinja2 import ChoiceLoader, DictLoader
from peninsula.core import fragments, scope
from peninsula.core import jinja2 as templates


@pytest.fixture
def page(monkeypatch):
    """A page whose greeting is a fragment: the reader pages' Jinja2 environment, with two
    templates of this test's own."""
    env = engines["jinja2"].env
    own = DictLoader(
        {
            "greeting.html": "{{ _('Home') }}, {{ name }}!",
            "page.html": "{{ greeting(name) }}",
        }
    )
    monkeypatch.setattr(env, "loader", ChoiceLoader([own, env.loader]))
    monkeypatch.setitem(
        env.globals,
        "greeting",
        lambda name: fragments.render("greeting.html", {"name": name}, key=(name,)),
    )
    fragments.forget_all()
    # The site's language, whatever a test before this one left active in this thread.
    with translation.override("zh-hans"):
        yield lambda name: env.get_template("page.html").render({"name": name})
    fragments.forget_all()


@pytest.fixture
def renders(monkeypatch):
    """The names of the templates the memo rendered, in order."""
    names, real_render = [], templates.render

    def render(template_name, values):
        names.append(template_name)
        return real_render(template_name, values)

    monkeypatch.setattr(templates, "render", render)
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


@pytest.fixture
def signed(monkeypatch):
    """A fragment with a value of each page filled in: `signed(name, path)`."""
    env = engines["jinja2"].env
    own = DictLoader({"signed.html": '<a href="{{ path }}">{{ _("Home") }}</a>, {{ name }}'})
    monkeypatch.setattr(env, "loader", ChoiceLoader([own, env.loader]))
    fragments.forget_all()
    with translation.override("zh-hans"):
        yield lambda name, path: fragments.render(
            "signed.html", {"name": name}, key=(name,), fill={"path": path}
        )
    fragments.forget_all()


def test_a_filled_value_is_each_call_s_own_and_escaped(signed, renders):
    assert signed("Kim", "/a/?q=1&x=2") == '<a href="/a/?q=1&amp;x=2">首页</a>, Kim'
    assert signed("Kim", '/b/"><script>') == '<a href="/b/&#34;&gt;&lt;script&gt;">首页</a>, Kim'
    assert renders.count("signed.html") == 1  # one entry for every path
    assert signed("Lee", "/a/") == '<a href="/a/">首页</a>, Lee'
    assert renders.count("signed.html") == 2


def test_a_filled_value_that_looks_like_a_mark_is_shown_as_it_is(signed):
    looks_like = fragments._mark("name") + fragments._mark("path")
    assert signed("Kim", looks_like) == f'<a href="{looks_like}">首页</a>, Kim'


def test_values_given_as_a_function_are_gathered_only_for_a_new_key(page):
    gathered = []

    def values():
        gathered.append(1)
        return {"name": "Kim"}

    with translation.override("zh-hans"):
        first = fragments.render("greeting.html", values, key=("Kim",))
        again = fragments.render("greeting.html", values, key=("Kim",))
    assert first == again == "首页, Kim!"
    assert len(gathered) == 1


def test_threads_rendering_in_two_languages_at_once_each_get_their_own(page):
    """A page's render reads the language once for all its fragments (core.scope):
    each thread's pages keep their own, and nothing is left behind after a render."""
    errors, start = [], threading.Barrier(4)

    def run(language, expected):
        try:
            start.wait(timeout=10)
            with translation.override(language):
                for n in range(200):
                    assert page(f"Kim{n % 7}") == f"{expected}, Kim{n % 7}!"
        except Exception as exc:  # reported to the test's thread below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(language, expected))
        for language, expected in [("en", "Home"), ("zh-hans", "首页")] * 2
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert scope._scope.get() is None
    with translation.override("en"):
        assert page("Kim1") == "Home, Kim1!"
