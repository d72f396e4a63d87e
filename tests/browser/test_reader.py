"""What a reader sees: the home page, a category page and the reference article, in Chromium."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from peninsula.content.models import Article
from peninsula.content.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    SourceFactory,
)
from peninsula.core.models import SiteSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The body of the reference page (../shared/seed/reference-article-page.txt), byline first.
REFERENCE_PARAGRAPHS = [
    "By Kim Bo-eun",
    "Denuclearization talks between North Korea and the U.S. that appeared to have been stalled"
    " may gain impetus, with leaders of the countries engaging in communication.",
    "U.S. President Donald Trump thanked North Korean leader Kim Jong-un, Thursday, after"
    ' receiving a "nice letter" from him. White House spokeswoman Sarah Sanders said the'
    ' correspondence was "aimed at following up on the meeting in Singapore" and "advancing the'
    " commitments made\" in the leaders' joint statement, where North Korea pledged complete"
    " denuclearization.",
    "The North Korean leader's letter arrived as 55 sets of remains of U.S. soldiers handed over"
    " by North Korea arrived at the Joint Base Pearl Harbor-Hickam in Hawaii.",
    "This is not the first correspondence. Before the historic June 12 summit in Singapore, the"
    " North Korean leader sent his first letter to Trump, in a large white envelope. The U.S."
    " president received a second letter after U.S. Secretary of State Mike Pompeo visited"
    " Pyongyang for follow-up denuclearization talks.",
    "The letters are seen as a sign that trust between the leaders has not collapsed.",
    '"It goes to show trust between the leaders, and trust is needed for the next steps to be'
    ' taken in denuclearization and in improving relations," a foreign ministry official said.',
    'Dongguk University professor Ko Yoo-hwan said "It appears to show that the trust between'
    ' Kim and Trump is still there, and that the momentum for dialogue is ongoing."',
    '"The exchanges are a top-down way of showing this amid growing skepticism within the U.S.'
    " over North Korea's denuclearization, and the communication is expected to exert a positive"
    ' influence on the overall progression of talks on this," he said.',
    "Trump's expression of his hopes to see the North Korean leader soon in a twitter post raised"
    " expectations that a second summit could be held in coming months.",
    "The White House said no second meeting has been planned.",
    "Experts said it is unlikely that a second summit will take place soon.",
    '"A summit will not be held without progress in denuclearization talks," Ko said.',
    "Professor Park Won-gon of Handong University agreed.",
    '"The U.S. President was criticized for failing to elicit specific pledges from North Korean'
    " on its denuclearization. Considering the midterm elections are coming up in November, Trump"
    ' would not meet with Kim without progress in the denuclearization negotiations," he said.',
    '"For progress, North Korea needs to report a list of its nuclear facilities or present a'
    ' timeline for its denuclearization."',
    "Meanwhile, the professor emphasized South Korea's role in enabling progress.",
    "\"It seems the South Korean government is seeking to hold President Moon Jae-in's third"
    " summit with the North Korean leader this month. South Korea must play an active role in"
    ' seeking a breakthrough in denuclearization talks," Park said.',
    "North Korea has been calling for the 1950-53 Korean War to be ended as an early stage"
    " measure in the denuclearization process, to protect the security of its regime."
    " Expectations had grown that foreign ministers of the Koreas, the U.S. and China could meet"
    " on the sidelines of the ASEAN Regional Forum in Singapore this week, to discuss the matter.",
    "However, the U.S. affirmed its stance that North Korea needs to take concrete"
    " denuclearization steps before an end to the war can be declared.",
    "In a press round table held Thursday, U.S. Ambassador to South Korea Harry Harris said North"
    " Korea providing a list of its nuclear facilities would be a starting point for negotiations"
    " on ending the war.",
    "Pyongyang began dismantling facilities at its Tongchang-ri missile testing site in recent"
    " weeks, but the measure has yet to be verified.",
    "Harris also stated North Korea's repatriation of U.S. war remains was a humanitarian issue"
    " separate from denuclearization measures.",
]


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def newsroom(transactional_db, settings):
    """The reference article, its category 产品中心 with a subcategory, and a second section."""
    cache.clear()
    settings.PENINSULA_PAGE_SIZE = 5
    SiteSettings.objects.create(
        site_name="半岛新闻网",
        tagline="立足半岛 放眼世界",
        footer_text="半岛新闻网 版权所有 · 未经授权禁止转载",
        icp_number="京ICP备12345678号-1",
    )
    products = CategoryFactory(name="产品中心", slug="chanpinzhongxin", sort_order=1)
    launches = CategoryFactory(name="新品发布", slug="xinpinfabu", parent=products)
    world = CategoryFactory(name="国际", slug="guoji", sort_order=2)
    asia = CategoryFactory(name="亚太", slug="yatai", parent=world)
    start = datetime.datetime(2024, 9, 1, 9, 0, tzinfo=SHANGHAI)
    for n in range(8):
        ArticleFactory(
            title=f"新品速递第{n + 1}期:半岛科技发布年度新品",
            body="<p>" + "本期介绍半岛科技的年度新品,以及业内人士对新品的评价。" * 4 + "</p>",
            category=launches if n % 2 else products,
            published_at=start + datetime.timedelta(days=n),
            views=n * 7,
        )
    for n in range(4):
        ArticleFactory(
            title=f"亚太观察:区域合作迈出新步伐({n + 1})",
            body="<p>" + "亚太各国代表就区域合作展开讨论,达成多项共识。" * 4 + "</p>",
            category=asia,
            published_at=start + datetime.timedelta(days=n, hours=3),
            views=20 + n,
        )
    reference = ArticleFactory(
        title="Denuke talks may gain impetus with Kim",
        category=products,
        body="".join(f"<p>{p}</p>" for p in REFERENCE_PARAGRAPHS),
        byline="By Kim Bo-eun",
        language="en",
        source=SourceFactory(name="The Korea Times", url="https://www.koreatimes.co.kr/"),
        source_url="https://www.koreatimes.co.kr/",
        published_at=datetime.datetime(2024, 9, 22, 1, 36, 59, tzinfo=SHANGHAI),
        views=3,
        likes=4,
        tags=["朝鲜半岛", "无核化"],
        authors=[AuthorFactory(name="Kim Bo-eun")],
    )
    yield reference
    cache.clear()


def without_counter_script(page):
    """Keep the rendered counts: article.js would count this visit (the engagement tests do)."""
    page.route("**/static/js/article.js", lambda route: route.abort())


def assert_site_frame(page, *, canonical=True):
    """Header with navigation, search box, language switcher and footer: on every page."""
    expect(page.locator(".site-brand__name")).to_have_text("半岛新闻网")
    nav = page.locator(".site-nav")
    expect(nav.get_by_role("link", name="产品中心", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="国际", exact=True)).to_be_visible()
    search = page.locator('.site-header form[role="search"][action="/search/"][method="get"]')
    expect(search.locator('input[name="q"][type="search"]')).to_be_visible()
    switcher = page.locator("form.language-switcher")
    expect(switcher.locator('input[name="next"]')).to_have_count(1)
    expect(switcher.get_by_role("button", name="English")).to_be_visible()
    expect(page.locator(".site-footer")).to_contain_text("京ICP备12345678号-1")
    expect(page.locator(".site-footer")).to_contain_text("版权所有")
    expect(page.locator('link[rel="canonical"]')).to_have_count(1 if canonical else 0)
    assert page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.browser
def test_home_page(page, live_server, newsroom, screenshot):
    page.goto(live_server.url + "/")
    assert_site_frame(page)
    latest = page.locator(".home-latest .card__title")
    expect(latest.first).to_have_text("Denuke talks may gain impetus with Kim")
    blocks = page.locator(".home-blocks .block")
    expect(blocks).to_have_count(2)
    expect(blocks.nth(0).locator(".section-title")).to_contain_text("产品中心")
    expect(blocks.nth(0)).to_contain_text("新品速递第8期")  # filed in the subcategory
    expect(blocks.nth(1).locator(".section-title")).to_contain_text("国际")
    ranking = page.locator(".ranking--most_read")
    expect(ranking.locator(".ranking__heading")).to_have_text("点击排行")
    expect(ranking.locator("li").first).to_contain_text("新品速递第8期")

    page.locator(".site-nav__item--parent").first.hover()
    submenu = page.locator(".site-nav__submenu").first
    expect(submenu.get_by_role("link", name="新品发布")).to_be_visible()
    screenshot(page, "home")


@pytest.mark.browser
def test_category_page(page, live_server, newsroom, screenshot):
    page.goto(live_server.url + "/chanpinzhongxin/")
    assert_site_frame(page)
    expect(page.locator(".breadcrumb")).to_have_text("您现在的位置是:半岛新闻网 > 产品中心")
    expect(page.locator("h1")).to_have_text("产品中心")
    expect(page.locator(".subcategories").get_by_role("link", name="新品发布")).to_be_visible()
    cards = page.locator(".article-list .card")
    expect(cards).to_have_count(5)
    first = cards.first
    expect(first.locator(".card__title")).to_have_text("Denuke talks may gain impetus with Kim")
    expect(first.locator("time")).to_have_text("2024-09-22 01:36")
    expect(first.locator(".card__excerpt")).to_contain_text("Denuclearization talks between")
    expect(first.locator(".card__views")).to_have_text("3 次阅读")
    expect(page.locator(".ranking--most_read .ranking__heading")).to_have_text("点击排行")
    expect(page.locator(".ranking--trending_24h")).to_have_count(1)
    screenshot(page, "category")

    page.locator(".pagination__older").click()
    expect(cards).to_have_count(4)
    expect(page.locator(".pagination__older")).to_have_count(0)
    page.locator(".pagination__newer").click()
    expect(cards.first.locator(".card__title")).to_have_text(
        "Denuke talks may gain impetus with Kim"
    )

    page.goto(live_server.url + "/xinpinfabu/")
    expect(page.locator(".breadcrumb")).to_have_text(
        "您现在的位置是:半岛新闻网 > 产品中心 > 新品发布"
    )
    response = page.goto(live_server.url + "/chanpinzhongxin/?page=abc")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    assert_site_frame(page, canonical=False)


@pytest.mark.browser
def test_article_page_reproduces_the_reference(page, browser, live_server, newsroom, screenshot):
    article = newsroom
    without_counter_script(page)
    page.goto(live_server.url + article.get_absolute_url())
    assert_site_frame(page)

    breadcrumb = page.locator(".breadcrumb")
    expect(breadcrumb).to_have_text("您现在的位置是:半岛新闻网 > 产品中心")
    expect(breadcrumb.get_by_role("link", name="半岛新闻网")).to_have_attribute("href", "/")
    expect(breadcrumb.get_by_role("link", name="产品中心")).to_have_attribute(
        "href", "/chanpinzhongxin/"
    )
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Denuke talks may gain impetus with Kim")
    meta = squash(page.locator(".article__meta").inner_text())
    assert meta == "半岛新闻网 2024-09-22 01:36:59 【产品中心】 3人已围观"
    excerpt = page.locator(".article__excerpt")
    expect(excerpt.locator(".article__excerpt-label")).to_have_text("简介")
    assert squash(excerpt.inner_text()).startswith(
        "简介Denuclearization talks between North Korea and the U.S."
    )
    assert squash(excerpt.inner_text()).endswith("…")

    body = page.locator(".article__body")
    expect(body).to_have_attribute("lang", "en")
    assert body.inner_text().strip().startswith("By Kim Bo-eun\n")
    expect(body).to_contain_text("separate from denuclearization measures.")
    source = page.locator(".article__source")
    expect(source).to_have_text("来源: The Korea Times")
    expect(source.get_by_role("link", name="The Korea Times")).to_have_attribute(
        "href", "https://www.koreatimes.co.kr/"
    )
    expect(page.locator(".article__authors").get_by_role("link", name="Kim Bo-eun")).to_be_visible()
    expect(page.locator(".article__tags").get_by_role("link", name="无核化")).to_be_visible()
    expect(page.locator(".js-like")).to_have_text("很赞哦!(4)")
    expect(page.locator("article.article")).to_have_attribute("data-article-id", str(article.pk))
    expect(page.locator('script[src$="js/article.js"][defer]')).to_have_count(1)
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == live_server.url + article.get_absolute_url()

    pager = page.locator(".article-pager")
    expect(pager.locator(".article-pager__previous")).to_contain_text("上一篇")
    expect(pager.locator(".article-pager__previous a")).to_have_text(
        "新品速递第7期:半岛科技发布年度新品"
    )
    expect(pager.locator(".article-pager__next")).to_have_text("下一篇没有了")
    expect(page.locator(".related li").first).to_be_visible()
    expect(page.locator(".ranking--most_read .ranking__heading")).to_have_text("点击排行")
    screenshot(page, "article")

    # An old URL with another category's slug is sent on to the canonical one.
    page.goto(live_server.url + f"/guoji/{article.pk}.html")
    assert page.url == live_server.url + article.get_absolute_url()

    mobile = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    phone = mobile.new_page()
    without_counter_script(phone)
    phone.goto(live_server.url + article.get_absolute_url())
    expect(phone.locator("h1")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "article-mobile")
    mobile.close()


@pytest.mark.browser
def test_language_switcher_turns_the_interface_english(page, live_server, newsroom):
    without_counter_script(page)
    page.goto(live_server.url + newsroom.get_absolute_url())
    page.locator("form.language-switcher").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server.url + newsroom.get_absolute_url()
    expect(page.locator(".breadcrumb")).to_have_text("You are here:半岛新闻网 > 产品中心")
    expect(page.locator(".js-like")).to_have_text("Great!(4)")
    expect(page.locator(".article__time")).to_have_text("2024-09-22 01:36:59")
    assert Article.objects.get(pk=newsroom.pk).views == 3
