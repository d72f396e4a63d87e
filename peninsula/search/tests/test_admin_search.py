"""The admin's article listing searches the same Chinese + English index as readers do."""

import pytest

from peninsula.content.tests.admin_helpers import EDITOR, article_url, make_user
from peninsula.content.tests.factories import ArticleFactory


@pytest.mark.django_db
def test_admin_listing_finds_words_in_any_order_and_drafts_too(client):
    client.force_login(make_user("editor", EDITOR))
    talks = ArticleFactory(title="朝鲜表示愿意重启无核化谈判", body="<p>朝美双方接触。</p>")
    draft = ArticleFactory(title="谈判前景", body="<p>朝鲜无核化仍是难题。</p>", live=False)
    other = ArticleFactory(title="韩国经济增长放缓", body="<p>出口下降。</p>")

    html = client.get(article_url("list"), {"q": "无核化 朝鲜 谈判"}).content.decode()

    assert talks.title in html and draft.title in html
    assert other.title not in html
    assert html.index(talks.title) < html.index(draft.title)  # a title match ranks first


@pytest.mark.django_db
def test_admin_listing_search_stems_english(client):
    client.force_login(make_user("editor", EDITOR))
    article = ArticleFactory(title="Denuclearization talks stall", language="en")

    html = client.get(article_url("list"), {"q": "denuclearize talk"}).content.decode()

    assert article.title in html
