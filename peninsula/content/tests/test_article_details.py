"""The article page's newsroom details: reading time, 更新时间, 更正, captions and credits,
the 图集, card pictures and the page furniture Lighthouse checks."""

import datetime as dt
import re
from itertools import pairwise

import pytest
import time_machine
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.images.tests.utils import get_test_image_file

from peninsula.content.models import Article, Correction, GalleryImage, ImageDetails
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.core.models import SiteSettings
from peninsula.core.text import reading_minutes

pytestmark = pytest.mark.django_db
Image = get_image_model()
PUBLISHED = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def site(db):
    return SiteSettings.objects.create(site_name="半岛新闻网")


def image(title="港口", caption="", credit=""):
    picture = Image.objects.create(title=title, file=get_test_image_file(size=(1200, 800)))
    if caption or credit:
        ImageDetails.objects.create(image=picture, caption=caption, credit=credit)
    return picture


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# Reading time


@pytest.mark.parametrize(
    ("body", "minutes"),
    [
        ("", 1),
        ("<p>" + "半" * 400 + "</p>", 1),
        ("<p>" + "半" * 401 + "</p>", 2),
        ("<p>" + "岛" * 2000 + "</p>", 5),
        ("<p>" + "word " * 230 + "</p>", 1),
        ("<p>" + "word " * 690 + "</p>", 3),
        # Chinese by characters and English by words in the same text: 400 characters and
        # 230 words are a minute each.
        ("<p>" + "新" * 400 + " " + "news " * 230 + "</p>", 2),
        # Markup, attributes and scripts are not read.
        ('<p><a href="https://example.com/' + "x" * 5000 + '">链接</a></p>', 1),
        ("<script>" + "var a = 1; " * 2000 + "</script><p>短</p>", 1),
    ],
)
def test_reading_time_counts_chinese_characters_and_english_words(body, minutes):
    assert reading_minutes(body) == minutes


def test_the_article_page_shows_its_reading_time(client, site):
    article = ArticleFactory(body="<p>" + "朝" * 1200 + "</p>")
    assert "阅读约3分钟" in page(client, article)


def test_the_reading_time_is_stored_with_the_body_however_it_is_saved(client, site):
    """Counted when the body is written, not per render: a save of the body alone, or of the
    whole row, keeps it right; a counter update leaves it alone."""
    article = ArticleFactory(body="<p>短。</p>")
    assert Article.objects.get(pk=article.pk).reading_minutes == 1
    article.body = "<p>" + "韩" * 2000 + "</p>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).reading_minutes == 5
    assert "阅读约5分钟" in page(client, article)
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)
    assert Article.objects.get(pk=article.pk).reading_minutes == 5


# 更新时间


def test_an_edit_of_the_published_text_shows_the_update_time(client, site):
    with time_machine.travel(PUBLISHED, tick=False):
        article = ArticleFactory(published_at=PUBLISHED)
    assert article.revised_at is None
    assert "更新时间" not in page(client, article)
    with time_machine.travel(PUBLISHED + dt.timedelta(hours=3), tick=False):
        article.body = "<p>新的事实。</p>"
        article.save()
    article.refresh_from_db()
    assert article.revised_at == PUBLISHED + dt.timedelta(hours=3)
    html = page(client, article)
    local = timezone.localtime(article.revised_at)
    assert f'更新时间: <time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}' in html


def test_counters_drafts_and_unchanged_saves_are_not_updates(site):
    with time_machine.travel(PUBLISHED, tick=False):
        article = ArticleFactory(published_at=PUBLISHED)
    with time_machine.travel(PUBLISHED + dt.timedelta(hours=5), tick=False):
        Article.objects.filter(pk=article.pk).update(views=F("views") + 10, likes=3)
        article.refresh_from_db()
        article.save()  # republished as it was
        article.title = "A draft headline"
        article.save_revision()  # a draft of a change, not yet published
        article.refresh_from_db()
        article.responsible_editor = "王编辑"  # not the text readers read
        article.save()
    article.refresh_from_db()
    assert article.revised_at is None
    assert not article.shows_revision()


def test_a_change_before_publication_or_in_its_first_minute_is_not_an_update(site):
    with time_machine.travel(PUBLISHED, tick=False):
        draft = ArticleFactory(live=False, published_at=None)
        draft.title = "Still a draft"
        draft.save()
        draft.refresh_from_db()
        assert draft.revised_at is None
        article = ArticleFactory(published_at=PUBLISHED)
    with time_machine.travel(PUBLISHED + dt.timedelta(seconds=30), tick=False):
        article.title = "A typo fixed at once"
        article.save()
    assert article.revised_at is not None
    assert not article.shows_revision()


def test_publishing_a_revision_of_changed_text_is_an_update(site, django_user_model):
    with time_machine.travel(PUBLISHED, tick=False):
        article = ArticleFactory(published_at=PUBLISHED)
    with time_machine.travel(PUBLISHED + dt.timedelta(days=1), tick=False):
        article.summary = "更正后的简介"
        revision = article.save_revision()
        revision.publish()
    article.refresh_from_db()
    assert article.summary == "更正后的简介"
    assert article.revised_at == PUBLISHED + dt.timedelta(days=1)


# 更正


def test_corrections_are_kept_with_their_dates_newest_first(client, site):
    article = ArticleFactory(published_at=PUBLISHED)
    first = Correction.objects.create(
        article=article, noted_at=PUBLISHED + dt.timedelta(days=1), text="人数应为12人，而非21人。"
    )
    second = Correction.objects.create(
        article=article, noted_at=PUBLISHED + dt.timedelta(days=3), text="照片说明中的地名有误。"
    )
    html = page(client, article)
    section = re.search(r'<section class="corrections".*?</section>', html, re.S)[0]
    assert "<h2" in section and "更正" in section
    assert section.index(second.text) < section.index(first.text)
    day = timezone.localtime(first.noted_at).strftime("%Y-%m-%d")
    assert day in section


def test_corrections_travel_with_revisions_and_are_not_lost_on_publish(site):
    article = ArticleFactory(published_at=PUBLISHED)
    article.corrections.add(Correction(text="第一条更正"))
    article.save()
    article.corrections.add(Correction(text="第二条更正"))
    article.save_revision().publish()
    article.refresh_from_db()
    assert sorted(c.text for c in article.corrections.all()) == ["第一条更正", "第二条更正"]


def test_an_article_without_corrections_has_no_corrections_section(client, site):
    assert 'class="corrections"' not in page(client, ArticleFactory())


# 图注 and 摄影


def test_the_cover_shows_its_caption_and_credit(client, site):
    cover = image(caption="釜山港的集装箱码头", credit="李明")
    article = ArticleFactory(cover_image=cover)
    html = page(client, article)
    figure = re.search(r'<figure class="article__cover">.*?</figure>', html, re.S)[0]
    assert '<figcaption class="caption">' in figure
    assert "釜山港的集装箱码头" in figure and "摄影：李明" in figure
    assert 'fetchpriority="high"' in figure
    img = re.search(r"<img[^>]+>", figure)[0]
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)


def test_an_image_form_edits_the_caption_and_credit(admin_user):
    picture = image()
    form_class = get_image_form(Image)
    data = {"title": "港口", "description": "港口的集装箱", "caption": "图注一", "credit": "张三"}
    form = form_class(data=data, instance=picture, user=admin_user)
    assert form.is_valid(), form.errors
    form.save()
    assert ImageDetails.objects.filter(image=picture).values_list("caption", "credit").get() == (
        "图注一",
        "张三",
    )
    again = form_class(instance=picture, user=admin_user)
    assert again.initial["caption"] == "图注一" and again.initial["credit"] == "张三"


def test_images_in_the_body_show_their_caption_and_credit(client, site):
    picture = image(caption="会谈现场", credit="新华社")
    embed = f'<embed embedtype="image" id="{picture.pk}" format="fullwidth" alt="会谈"/>'
    body = f"<p>导语。</p>{embed}"
    html = page(client, ArticleFactory(body=body))
    figure = re.search(r'<figure class="richtext-figure.*?</figure>', html, re.S)[0]
    assert 'alt="会谈"' in figure and 'loading="lazy"' in figure
    assert "会谈现场" in figure and "摄影：新华社" in figure


# 图集


def test_the_gallery_shows_pictures_in_the_editors_order_with_captions(client, site):
    article = ArticleFactory()
    second = image("第二张", caption="图片自带的图注", credit="图片库")
    first = image("第一张")
    GalleryImage.objects.create(article=article, image=second, sort_order=1)
    GalleryImage.objects.create(
        article=article, image=first, sort_order=0, caption="编辑写的图注", credit="王五"
    )
    html = page(client, article)
    section = re.search(r'<section class="gallery".*?</section>', html, re.S)[0]
    assert 'aria-labelledby="gallery-heading"' in section and "图集" in section
    assert section.index("编辑写的图注") < section.index("图片自带的图注")
    assert "摄影：王五" in section and "摄影：图片库" in section
    assert section.count("<picture>") == 2 and section.count('loading="lazy"') == 2
    assert 'tabindex="0"' in section  # the scrolling row can be reached and scrolled by keyboard
    assert "<script" not in section


def test_the_article_page_reads_its_gallery_in_a_fixed_number_of_queries(
    client, site, django_assert_max_num_queries
):
    article = ArticleFactory(cover_image=image(caption="封面"))
    page(client, article)  # renditions made once
    for n in range(6):
        GalleryImage.objects.create(article=article, image=image(f"图{n}", caption=f"图注{n}"))
    page(client, article)
    cache.clear()
    with django_assert_max_num_queries(30):
        html = page(client, article)
    assert html.count('class="gallery__item"') == 6


# Share block


def test_the_share_block_has_the_link_a_copy_button_and_a_qr_code(client, site):
    article = ArticleFactory()
    html = page(client, article)
    share = re.search(r'<section class="share".*?</section>', html, re.S)[0]
    url = f"http://testserver{article.get_absolute_url()}"
    assert f'value="{url}"' in share
    assert 'class="share__copy js-copy-link"' in share and "hidden" in share
    qr = re.search(r'<img src="([^"]+)" alt="本文地址的二维码" width="132" height="132"', share)
    assert qr and 'loading="lazy"' in share
    code = client.get(qr[1])
    assert code.status_code == 200 and code["Content-Type"] == "image/svg+xml"
    assert re.match(rb'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \d+ \d+"', code.content)
    assert "<script" not in share and "style=" not in share
    assert re.search(r'<script src="/static/js/share[.\w]*\.js" defer>', html)


# Card pictures


def test_cards_show_the_cover_the_first_eagerly_the_rest_lazily(client, site):
    category = CategoryFactory(slug="news")
    ArticleFactory(category=category, published_at=PUBLISHED)  # the oldest: no picture
    for n in range(3):
        ArticleFactory(category=category, cover_image=image(f"图{n}"))
    html = client.get("/news/").content.decode()
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 3
    assert 'fetchpriority="high"' in pictures[0] and 'loading="lazy"' not in pictures[0]
    assert all('loading="lazy"' in p for p in pictures[1:])
    for picture in pictures:
        assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
        img = re.search(r"<img[^>]+>", picture)[0]
        assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert html.count('class="card card--with-picture"') == 3


def test_a_category_page_lists_cards_in_a_fixed_number_of_queries(
    client, site, django_assert_max_num_queries
):
    category = CategoryFactory(slug="news")
    for n in range(8):
        ArticleFactory(category=category, cover_image=image(f"图{n}"))
    client.get("/news/")  # renditions made once
    cache.clear()
    with django_assert_max_num_queries(15):
        assert client.get("/news/").status_code == 200


def test_cards_whose_html_is_kept_read_no_picture_rows(client, site, django_assert_num_queries):
    """Cards are light rows; their cover images are read only to render a card anew."""
    category = CategoryFactory(slug="news")
    for n in range(4):
        ArticleFactory(category=category, cover_image=image(f"图{n}"))
    first = client.get("/news/").content.decode()
    with django_assert_num_queries(2):  # the bounded count, the rows (the category: the tree)
        again = client.get("/news/").content.decode()
    assert again == first and again.count("<picture>") == 4


def test_a_card_shows_a_new_comment_count(client, site):
    category = CategoryFactory(slug="news")
    article = ArticleFactory(category=category)
    assert "评论(0)" in client.get("/news/").content.decode()
    Article.objects.filter(pk=article.pk).update(comments=F("comments") + 2)
    assert "评论(2)" in client.get("/news/").content.decode()


# What Lighthouse checks


def test_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}


def test_the_home_page_has_a_meta_description_without_a_tagline(client, site):
    html = client.get("/").content.decode()
    assert re.search(r'<meta name="description" content="[^"]*半岛新闻网[^"]*">', html)


def test_listing_pages_skip_no_heading_level(client, site):
    category = CategoryFactory(slug="news")
    ArticleFactory(category=category)
    html = client.get("/news/").content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in pairwise(levels))


# The editor


def test_a_new_article_starts_with_the_writers_own_author(client):
    from peninsula.content.tests.admin_helpers import AUTHOR, PASSWORD, article_url, make_user
    from peninsula.content.tests.factories import AuthorFactory

    writer = make_user("li", AUTHOR)
    mine = AuthorFactory(name="李记者", user=writer)
    AuthorFactory(name="别人")
    client.login(username="li", password=PASSWORD)
    html = client.get(article_url("add")).content.decode()
    # One 作者 row, its chooser holding the writer's Author, credited for the text (文).
    assert re.findall(r'name="credits-(\d+)-author" value="(\d+)"', html) == [("0", str(mine.pk))]
    assert 'name="credits-TOTAL_FORMS" value="1"' in html
    assert re.search(r'<option value="text"[^>]*selected', html)


def test_corrections_and_gallery_are_edited_in_the_article_form(client, admin_user):
    from wagtail.test.utils.form_data import inline_formset

    from peninsula.content.tests.admin_helpers import article_post, article_url

    client.force_login(admin_user)
    article = ArticleFactory()
    picture = image("现场")
    data = article_post(
        article.category,
        action="publish",
        title=article.title,
        body="<p>正文。</p>",
        gallery_images=inline_formset(
            [{"image": picture.pk, "caption": "现场图注", "credit": "赵六"}]
        ),
        corrections=inline_formset(
            [{"noted_at": "2025-03-11 09:30", "text": "此前报道的时间有误。"}]
        ),
    )
    response = client.post(article_url("edit", article.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert [(g.image_id, g.caption, g.credit) for g in article.gallery_images.all()] == [
        (picture.pk, "现场图注", "赵六")
    ]
    assert [c.text for c in article.corrections.all()] == ["此前报道的时间有误。"]
