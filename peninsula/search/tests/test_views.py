"""The public search page, read as HTML."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import timezone

from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.search import services

pytestmark = pytest.mark.django_db

URL = reverse("search:results")


@pytest.fixture(autouse=True)
def noon():
    """Midday in Shanghai, so that "published hours ago" is still today."""
    with time_machine.travel("2025-06-15 12:00 +0800"):
        yield


def get_page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def articles():
    korea = CategoryFactory(name="朝鲜半岛", slug="korean-peninsula")
    return [
        ArticleFactory(
            title=f"朝鲜峰会第{n}轮",
            body=f"<p>{'背景介绍。' * 20}美国与朝鲜在第{n}轮峰会上讨论无核化谈判。</p>",
            category=korea,
            published_at=timezone.now() - timedelta(hours=n),
        )
        for n in range(1, 26)
    ]


def test_page_has_form_noindex_count_and_marked_snippets(client, articles):
    soup = get_page(client, q="无核化谈判")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    form = soup.find("form", class_="search-page__form")
    assert form["role"] == "search"
    assert form.find("input", attrs={"name": "q"})["value"] == "无核化谈判"
    assert form.find("select", attrs={"name": "category"})
    assert form.find("input", attrs={"name": "date_from", "type": "date"})
    count = soup.select_one(".search-count")
    assert count["data-count"] == "25"
    assert "25" in count.get_text()
    results = soup.select("li.search-result")
    assert len(results) == 20
    first = results[0]
    assert first.find("a")["href"] == articles[0].get_absolute_url()
    snippet = first.select_one(".search-result__snippet")
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["无核化", "谈判"]
    assert snippet.get_text().startswith("…")
    next_link = soup.select_one("nav.pagination a[rel=next]")["href"]
    assert parse_qs(next_link[1:]) == {"q": ["无核化谈判"], "page": ["2"]}


def test_title_is_marked_and_escaped(client):
    ArticleFactory(title="<b>Kim</b> talks in Hanoi", body="<p>Short.</p>")
    soup = get_page(client, q="talk")
    title = soup.select_one("li.search-result h2 a")
    assert [mark.get_text() for mark in title.find_all("mark")] == ["talks"]
    assert title.find("b") is None
    assert "<b>Kim</b>" in title.get_text()


def test_second_page_and_bad_pages(client, articles):
    soup = get_page(client, q="峰会", page=2)
    assert len(soup.select("li.search-result")) == 5
    assert soup.select_one("ol.search-results")["start"] == "21"
    for bad in ("abc", "0", "-1", "3", "99999999999999999999", "1.5"):
        assert client.get(URL, {"q": "峰会", "page": bad}).status_code == 404


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("！？。，…!!!", "no-words"),
        ("朝鲜" * 500, "truncated"),
        ("talks " * 200, "truncated"),
        ("Pyongyang", "no-results"),
    ],
)
def test_bad_queries_answer_a_message(client, articles, q, message):
    soup = get_page(client, q=q)
    assert soup.select_one(f".search-message--{message}")


def test_bad_filters_answer_a_message(client, articles):
    cases = [
        ({"date_from": "2024-13-45"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2024-05-02", "date_to": "2024-05-01"}, "__all__"),
        ({"date_from": "0001-01-01"}, "__all__"),
        ({"date_to": "9999-12-31"}, "__all__"),
        ({"category": "no-such-category"}, "category"),
    ]
    for params, field in cases:
        response = client.get(URL, {"q": "朝鲜", **params})
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        invalid = [tag["name"] for tag in soup.select("[aria-invalid=true]")]
        assert invalid == ([] if field == "__all__" else [field]), params
        assert soup.select_one(".search-message--error[role=alert] p").get_text(strip=True)
        assert not soup.select("li.search-result")


def test_filters_narrow_the_results(client, articles):
    other = CategoryFactory(slug="world")
    ArticleFactory(title="朝鲜峰会特稿", category=other)
    soup = get_page(client, q="峰会", category="world")
    assert [a.get_text() for a in soup.select("li.search-result h2 a")] == ["朝鲜峰会特稿"]
    today = timezone.localdate().isoformat()
    soup = get_page(client, q="峰会", date_from=today, date_to=today)
    assert soup.select_one(".search-count")["data-count"] == "13"
    soup = get_page(client, q="峰会", date_to="2025-06-14")
    assert soup.select_one(".search-count")["data-count"] == "13"


def test_query_count_is_fixed(client, articles, django_assert_num_queries):
    """Site settings (twice), and search's own: the capped count, one page of ids from both
    tiers, the page's articles; the form's categories come from the category tree. PostgreSQL
    sets its search settings before each statement, and cuts the page from the count's rows when
    the count lists every match with its tier (fewer matches than the cap)."""
    client.get(URL, {"q": "峰会"})
    with django_assert_num_queries(5):
        assert client.get(URL, {"q": "峰会"}).status_code == 200


def test_count_beyond_the_cap_is_shown_as_more_than(client, articles, monkeypatch):
    monkeypatch.setattr(services, "RESULT_CAP", 21)
    soup = get_page(client, q="峰会")
    count = soup.select_one(".search-count")
    assert count["data-count"] == "21"
    assert count["data-count-exact"] == "false"
    assert "21" in count.get_text()
    soup = get_page(client, q="峰会", page=2)
    assert len(soup.select("li.search-result")) == 1
    assert client.get(URL, {"q": "峰会", "page": 3}).status_code == 404
    soup = get_page(client, q="峰会第1轮")
    assert soup.select_one(".search-count")["data-count-exact"] == "true"


def form_state(soup):
    """What the search form shows: every input's value, the chosen option and the errors."""
    form = soup.find("form", class_="search-page__form")
    select = form.find("select", attrs={"name": "category"})
    controls = [*form.find_all("input"), select]
    return {
        "values": {i["name"]: i.get("value") for i in form.find_all("input")},
        "selected": [o["value"] for o in select.find_all("option") if o.has_attr("selected")],
        "labels": {label["for"]: label.get_text() for label in form.find_all("label")},
        "ids": {c["name"]: c["id"] for c in controls},
        "invalid": {
            c["name"]: c["aria-describedby"] for c in controls if c.get("aria-invalid") == "true"
        },
        "messages": [p.get_text(strip=True) for p in soup.select(".search-message--error p")],
    }


def test_form_keeps_the_submitted_values(client, articles):
    korea = articles[0].category
    north = CategoryFactory(name="朝鲜", slug="north", parent=korea)
    soup = get_page(
        client, q="峰会 谈判", category="north", date_from="2025-06-01", date_to="2025-06-15"
    )
    state = form_state(soup)
    assert state["values"] == {"q": "峰会 谈判", "date_from": "2025-06-01", "date_to": "2025-06-15"}
    assert state["selected"] == ["north"]
    assert state["ids"] == {
        "q": "id_q",
        "category": "id_category",
        "date_from": "id_date_from",
        "date_to": "id_date_to",
    }
    assert state["labels"]["id_category"] == "栏目:"
    assert set(state["labels"]) >= set(state["ids"].values())
    assert state["invalid"] == {}
    assert state["messages"] == []
    options = soup.select("#id_category option")
    assert [(o["value"], o.get_text()) for o in options] == [
        ("", "全部栏目"),
        ("korean-peninsula", "朝鲜半岛"),
        ("north", f"朝鲜半岛 / {north.name}"),
    ]


def test_form_without_filters_offers_all_categories_and_empty_dates(client, articles):
    for params in ({"q": "峰会"}, {"q": "峰会", "category": "", "date_from": "", "date_to": ""}):
        state = form_state(get_page(client, **params))
        assert state["selected"] == [""]
        assert not state["values"]["date_from"]
        assert not state["values"]["date_to"]
        assert state["invalid"] == {}


def test_bad_values_stay_in_the_form_with_their_messages(client, articles):
    soup = get_page(
        client, q="峰会", category="<no-such>", date_from="2024-13-45", date_to="yesterday"
    )
    state = form_state(soup)
    assert state["values"] == {"q": "峰会", "date_from": "2024-13-45", "date_to": "yesterday"}
    assert state["selected"] == []
    assert state["invalid"] == {
        "category": "id_category_error",
        "date_from": "id_date_from_error",
        "date_to": "id_date_to_error",
    }
    assert state["messages"] == [
        "没有这个栏目。",
        "请按 YYYY-MM-DD 格式输入开始日期。",
        "请按 YYYY-MM-DD 格式输入结束日期。",
    ]
    assert not soup.select("li.search-result")
    soup = get_page(client, q="峰会", date_from="2025-06-02", date_to="2025-06-01")
    state = form_state(soup)
    assert state["values"]["date_from"] == "2025-06-02"
    assert state["invalid"] == {}
    assert len(state["messages"]) == 1


def test_result_time_is_local_as_the_date_filter_prints_it(client):
    """The row formats its time itself (hits.py): it must read as Django's `date` filter."""
    published = datetime(2025, 6, 14, 23, 30, 5, 120000, tzinfo=UTC)
    ArticleFactory(title="开城工业园区", published_at=published)
    time = get_page(client, q="开城").select_one("li.search-result time")
    local = timezone.localtime(published)
    assert time["datetime"] == date(local, "c") == "2025-06-15T07:30:05.120000+08:00"
    assert time.get_text() == date(local, "Y-m-d H:i") == "2025-06-15 07:30"


def test_the_form_shows_each_search_s_own_words_dates_and_category(client, articles):
    """The form is kept once per version of what it shows (search_form): what each reader typed
    is filled in, escaped, and the categories follow the tree."""
    first = get_page(client, q='"><b>朝鲜</b>', date_from="2025-01-01", category="korean-peninsula")
    again = get_page(client, q="峰会 & 谈判", date_from="2025-02-03", category="korean-peninsula")
    assert first.select_one("input[name=q]")["value"] == '"><b>朝鲜</b>'
    assert first.select_one("input[name=date_from]")["value"] == "2025-01-01"
    assert again.select_one("input[name=q]")["value"] == "峰会 & 谈判"
    assert again.select_one("input[name=date_from]")["value"] == "2025-02-03"
    assert not again.select_one("input[name=date_to]").has_attr("value")
    assert again.select_one("option[selected]")["value"] == "korean-peninsula"
    assert first.select("b") == again.select("b") == []

    CategoryFactory(name="港澳", slug="hk-macau")
    wrong = get_page(client, q="朝鲜", date_from="abc", category="hk-macau")
    assert wrong.select_one("option[selected]").get_text() == "港澳"
    assert wrong.select_one("input[name=date_from]")["aria-invalid"] == "true"
    assert wrong.select_one("input[name=date_from]")["value"] == "abc"
    plain = get_page(client, q="朝鲜", date_from="abc")
    assert plain.select_one("option[selected]")["value"] == ""
    assert plain.select_one("select")["name"] == "category"
    assert not plain.select_one("select").has_attr("aria-invalid")
