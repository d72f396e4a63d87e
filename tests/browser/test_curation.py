"""The front page editors run, in a real browser: an editor pins a 头条 and fills the 幻灯 in the
admin and readers see them; the carousel works with the keyboard and the pause button, stays
still under prefers-reduced-motion and is a scrollable row without JavaScript; an editor builds
a 专题; a slot entry expires on its own. Screenshots: artifacts/curation-*.png."""

import io
import re
import time
from datetime import timedelta
from importlib import import_module

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from wagtail.images import get_image_model

from peninsula.content.tests.admin_helpers import EDITOR, PASSWORD, make_user
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.curation import jobs, shelf
from peninsula.curation.models import Slot, SlotEntry, Topic
from peninsula.curation.tests.factories import SlotEntryFactory, TopicFactory, section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data", "curation_rows"),
]

NOT_LOCAL = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")
COLOURS = [(179, 18, 27), (30, 90, 160), (40, 130, 80), (200, 140, 20), (90, 60, 150)]


@pytest.fixture
def curation_rows(migrated_data):
    """The default slots, standard pages and editors' rights, made by the migrations' own code
    (a transactional test empties the tables)."""
    for app, name in [
        ("curation", "0002_default_slots_and_permissions"),
        ("furniture", "0002_standard_pages_and_permissions"),
    ]:
        state = MigrationLoader(connection).project_state((app, name))
        import_module(f"peninsula.{app}.migrations.{name}").create(state.apps, None)
    shelf.forget()
    jobs.reset()
    yield
    shelf.forget()


@pytest.fixture
def media_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def page(page):
    page.context.route(NOT_LOCAL, lambda route: route.abort())
    return page


def photo(n, title):
    buffer = io.BytesIO()
    Image.new("RGB", (1280, 720), COLOURS[n % len(COLOURS)]).save(buffer, "JPEG")
    image = get_image_model()(title=title, description=title)
    image.file = ImageFile(buffer, name=f"photo-{n}.jpg")
    image.save()
    return image


def stories(count, with_pictures=True):
    world = CategoryFactory(name="国际", slug="world")
    china = CategoryFactory(name="国内", slug="china")
    titles = [
        "半岛和谈出现新契机，双方代表板门店会面",
        "春运首日全国铁路发送旅客一千五百万人次",
        "新能源汽车出口连续三个月增长",
        "联合国气候大会闭幕，达成减排新共识",
        "国产大飞机完成首次跨洋商业飞行",
        "南方多地迎来强降雨，防汛进入应急状态",
        "央行宣布下调存款准备金率",
        "世界杯预选赛：国足客场战平对手",
    ]
    return [
        ArticleFactory(
            title=titles[n % len(titles)],
            summary=f"{titles[n % len(titles)]}。记者从现场发回报道，详细情况正在进一步核实。",
            category=world if n % 2 == 0 else china,
            cover_image=photo(n, titles[n % len(titles)]) if with_pictures else None,
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
        for n in range(count)
    ]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def add_entry(page, title):
    """Add an entry to the slot being edited and choose its article in the chooser."""
    page.locator("[id$='entries-ADD'], button:has-text('添加')").first.click()
    form = page.locator("[id^='inline_child_entries-']:not([id*='__prefix__'])").last
    form.get_by_role("button", name=re.compile("选择")).first.click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=title).first.click()
    chooser.wait_for(state="hidden")


def test_editor_pins_a_lead_story_and_fills_the_carousel(
    browser, page, live_server, screenshot, media_on_disk
):
    articles = stories(6)
    make_user("zhao", EDITOR)
    log_in(page, live_server, "zhao")
    expect(page.locator("#wagtail-sidebar")).to_contain_text("版面")

    lead = Slot.objects.get(key="lead")
    page.goto(live_server.url + reverse("wagtailsnippets_curation_slot:edit", args=[lead.pk]))
    add_entry(page, articles[0].title)
    page.fill("[name$='-headline']", "独家：半岛和谈迎来转机")
    page.wait_for_timeout(500)  # the chooser fades out
    screenshot(page, "curation-admin-lead")
    page.click("footer button.action-save, button[type=submit]:has-text('保存')")
    page.wait_for_load_state("networkidle")
    assert SlotEntry.objects.filter(slot=lead).count() == 1

    carousel = Slot.objects.get(key="carousel")
    page.goto(live_server.url + reverse("wagtailsnippets_curation_slot:edit", args=[carousel.pk]))
    for article in articles[1:4]:
        add_entry(page, article.title)
    page.wait_for_timeout(500)  # the chooser fades out
    screenshot(page, "curation-admin-carousel")
    page.click("footer button.action-save, button[type=submit]:has-text('保存')")
    page.wait_for_load_state("networkidle")
    entries = SlotEntry.objects.filter(slot=carousel).order_by("sort_order")
    assert [e.article_id for e in entries] == [a.pk for a in articles[1:4]]
    for article in articles[4:]:
        SlotEntryFactory(slot=Slot.objects.get(key="recommended"), article=article)
    for article in articles:
        SlotEntryFactory(slot=Slot.objects.get(key="ticker"), article=article)

    reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    reader.route(NOT_LOCAL, lambda route: route.abort())
    home = reader.new_page()
    home.goto(live_server.url + "/")
    expect(home.locator(".lead-card__title")).to_have_text("独家：半岛和谈迎来转机")
    expect(home.locator(".lead-card img")).to_have_attribute("width", "960")
    slides = home.locator(".carousel__slide")
    expect(slides).to_have_count(3)
    expect(slides.first).to_contain_text(articles[1].title)
    expect(home.locator(".slot--list .slot-card")).to_have_count(2)
    expect(home.locator(".ticker li")).to_have_count(6)
    expect(home.locator(".site-footer")).to_contain_text("关于我们")
    screenshot(home, "curation-home-desktop")
    home.set_viewport_size({"width": 390, "height": 844})
    home.reload()
    expect(home.locator(".lead-card__title")).to_be_visible()
    screenshot(home, "curation-home-mobile")
    reader.close()


def test_the_carousel_works_with_the_keyboard_and_pauses(
    browser, live_server, screenshot, media_on_disk
):
    articles = stories(3)
    for article in articles:
        SlotEntryFactory(slot=Slot.objects.get(key="carousel"), article=article)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/")
    slides = page.locator(".carousel__slide")
    expect(page.locator(".carousel__controls")).to_be_visible()
    expect(slides.nth(0)).to_have_attribute("aria-hidden", "false")
    page.locator(".carousel__track").focus()
    # Focus inside the carousel holds the rotation, so the keys alone move it.
    page.keyboard.press("ArrowRight")
    expect(slides.nth(1)).to_have_attribute("aria-hidden", "false")
    expect(slides.nth(0)).to_have_attribute("aria-hidden", "true")
    page.keyboard.press("End")
    expect(slides.nth(2)).to_have_attribute("aria-hidden", "false")
    page.keyboard.press("ArrowRight")  # wraps around
    expect(slides.nth(0)).to_have_attribute("aria-hidden", "false")
    pause = page.locator("[data-carousel-pause]")
    expect(pause).to_have_attribute("aria-pressed", "false")
    pause.focus()
    page.keyboard.press("Enter")
    expect(pause).to_have_attribute("aria-pressed", "true")
    expect(pause).to_have_text("播放")
    page.locator("[data-carousel-next]").click()
    expect(slides.nth(1)).to_have_attribute("aria-hidden", "false")
    screenshot(page, "curation-carousel")
    context.close()

    still = browser.new_context(reduced_motion="reduce", locale="zh-CN")
    page = still.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("[data-carousel-pause]")).to_have_attribute("aria-pressed", "true")
    still.close()

    plain = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = plain.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator(".carousel__controls")).to_be_hidden()
    track = page.locator(".carousel__track")
    assert track.evaluate("t => t.scrollWidth > t.clientWidth")
    assert track.evaluate("t => getComputedStyle(t).overflowX") == "auto"
    plain.close()


def test_editor_builds_a_topic(browser, page, live_server, screenshot, media_on_disk):
    articles = stories(4)
    make_user("zhao", EDITOR)
    log_in(page, live_server, "zhao")
    page.goto(live_server.url + reverse("wagtailsnippets_curation_topic:add"))
    page.fill("#id_title", "朝鲜半岛局势")
    page.fill("#id_slug", "korea")
    page.fill("#id_introduction", "半岛和谈的最新进展、来龙去脉与各方评论。")
    for title, chosen in [("最新进展", articles[:2]), ("背景", articles[2:3])]:
        # The stream's own insert buttons (a list's are marked data-streamfield-list-add); with
        # one block type, a click inserts a section.
        page.locator(".c-sf-add-button:not([data-streamfield-list-add])").last.click()
        page.locator("input[name$='-value-title']").last.fill(title)
        for article in chosen:
            # Earlier choosers hold their article and hide this button: the visible one is new.
            if page.get_by_role("button", name="选择 文章").count() == 0:
                page.locator("[data-streamfield-list-add]").last.click()
            page.get_by_role("button", name="选择 文章").last.click()
            # The newest dialog: an earlier one may still be in the page while it fades out.
            chooser = page.get_by_role("dialog").last
            chooser.get_by_role("link", name=article.title).first.click()
            chooser.wait_for(state="hidden")
            # The choice is made once its chooser holds the article and hides its button.
            expect(page.get_by_role("button", name="选择 文章")).to_have_count(0)
    page.wait_for_timeout(500)  # the chooser fades out
    screenshot(page, "curation-admin-topic")
    page.click("footer button.action-save, button[type=submit]:has-text('保存')")
    page.wait_for_load_state("networkidle")
    topic = Topic.objects.get(slug="korea")
    assert topic.section_ids() == [
        ("最新进展", [articles[0].pk, articles[1].pk]),
        ("背景", [articles[2].pk]),
    ]

    reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    view = reader.new_page()
    view.goto(live_server.url + "/topics/korea/")
    expect(view.locator("h1")).to_have_text("朝鲜半岛局势")
    expect(view.locator(".topic__section h2")).to_have_text(["最新进展", "背景"])
    expect(view.locator(".topic__section").first.locator(".card")).to_have_count(2)
    view.goto(live_server.url + articles[2].get_absolute_url())
    expect(view.locator(".article__topics a")).to_have_text("朝鲜半岛局势")
    reader.close()


def test_topic_page_screenshot(page, live_server, screenshot, media_on_disk):
    articles = stories(6)
    cover = photo(3, "板门店")
    TopicFactory(
        title="朝鲜半岛局势",
        slug="korea",
        introduction="半岛和谈的最新进展、来龙去脉与各方评论。本专题持续更新。",
        cover_image=cover,
        sections=[
            section("最新进展", articles[:3]),
            section("背景", articles[3:5]),
            section("评论", articles[5:]),
        ],
    )
    page.goto(live_server.url + "/topics/korea/")
    expect(page.locator(".topic__toc a")).to_have_count(3)
    screenshot(page, "curation-topic")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "curation-topic-mobile")
    page.goto(live_server.url + "/topics/")
    expect(page.locator(".topic-card")).to_have_count(1)
    screenshot(page, "curation-topics")


def test_a_slot_entry_expires_on_its_own(page, live_server):
    [article] = stories(1, with_pictures=False)
    SlotEntryFactory(
        slot=Slot.objects.get(key="lead"),
        article=article,
        ends_at=timezone.now() + timedelta(seconds=3),
    )
    page.goto(live_server.url + "/")
    expect(page.locator(".lead-card__title")).to_have_text(article.title)
    time.sleep(3.5)
    # What the scheduler does every 15 s: purge the pages of slots whose entries ended.
    assert [slot.key for slot in jobs.purge_timed_entries()] == ["lead"]
    page.reload()
    expect(page.locator(".lead-card")).to_have_count(0)
    expect(page.locator(".home-latest")).to_contain_text(article.title)
