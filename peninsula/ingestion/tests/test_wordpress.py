from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from peninsula.content.models import Article
from peninsula.ingestion.wphtml import autop, wordpress_html

from .conftest import DATA, png_bytes
from .test_import_command import run_import


@pytest.fixture
def export(tmp_path, site):
    """The sample export, its attachments served by the loopback site (gone.jpg is missing)."""
    site.serve("/uploads/quay.png", png_bytes(), content_type="image/png")

    def write(name="wordpress.xml", *, namespace="1.2"):
        text = (DATA / name).read_text(encoding="utf-8").replace("{{BASE}}", site.base)
        text = text.replace("wordpress.org/export/1.2/", f"wordpress.org/export/{namespace}/")
        path = tmp_path / f"export-{namespace}.txt"  # the name says nothing: content decides
        path.write_text(text, encoding="utf-8")
        return path

    return write


def run(path, *args):
    """Import an export; its draft 104 has no category and lands in --category."""
    return run_import(str(path), "--category", "未分类", *args)


def by_external(post_id):
    return Article.objects.get(external_id=f"https://old.binhai.example/?p={post_id}")


@pytest.mark.django_db
def test_posts_import_with_their_status_dates_authors_categories_and_tags(export):
    out, _ = run(export())
    assert "9 created, 0 updated, 0 failed" in out
    published = set(Article.objects.published().values_list("external_id", flat=True))
    assert {p.rsplit("=", 1)[1] for p in published} == {"101", "102", "107", "108", "109"}

    port = by_external(101)
    assert port.published_at == datetime(2024, 9, 22, 1, 15, 30, tzinfo=UTC)
    assert port.live and port.summary == "新港口正式开港，首批货轮靠泊。"
    assert port.byline == "林晓燕"
    assert list(port.authors.values_list("name", flat=True)) == ["林晓燕"]
    # A post in 亚太 (under 国际) and 财经 keeps its first category, with the tree above it.
    assert port.category.name == "亚太" and port.category.parent.name == "国际"
    assert sorted(port.tags.names()) == ["港口", "物流"]
    assert by_external(102).byline == "Jane Doe"

    scheduled = by_external(103)
    assert not scheduled.live
    assert scheduled.go_live_at == datetime(2099, 10, 1, tzinfo=UTC)
    for post_id in (104, 105, 106):
        draft = by_external(post_id)
        assert not draft.live and draft.go_live_at is None
    assert by_external(104).published_at is None
    assert not Article.objects.filter(title="关于我们").exists()  # pages are not articles


@pytest.mark.django_db
def test_content_is_shown_as_wordpress_shows_it(export):
    run(export())
    body = by_external(101).body
    assert body.startswith("<p>经过三年建设")
    assert "<p>港口建设指挥部负责人介绍，新港口共建成十个万吨级泊位。<br>" in body
    assert "<figure><img" in body and "<figcaption>新港口的自动化岸桥</figcaption>" in body
    assert body.count("/uploads/quay.png") == 2  # the caption's image and the gallery's
    assert "gone.jpg" in body  # the gallery names what it holds, fetched or not
    assert 'href="https://video.binhai.example/watch?v=port&amp;t=3"' in body
    assert "[caption" not in body and "[gallery" not in body and "[embed" not in body
    assert "<script" not in body and "alert" not in body
    assert "[unknown_code]保留的文字[/unknown_code]" in body  # as WordPress shows it

    blocks = by_external(102).body
    assert "wp:" not in blocks
    assert "<h2>What comes next</h2>" in blocks
    assert "<p>Analysts expect <strong>no further move</strong> this year.</p>" in blocks


@pytest.mark.django_db
def test_an_empty_title_gets_its_opening_words(export):
    run(export())
    title = by_external(107).title
    assert title.startswith("台风外围影响") and title.endswith("…")


@pytest.mark.django_db
def test_featured_images_are_stored_and_missing_ones_reported(export):
    _, err = run(export())
    aerial = by_external(109)
    assert aerial.cover_image is not None
    assert (aerial.cover_image.width, aerial.cover_image.height) == (64, 48)
    night = by_external(108)
    assert night.cover_image is None and night.live
    assert "/uploads/gone.jpg: HTTP 404" in err
    assert "imported without it" in err


@pytest.mark.django_db
def test_reimporting_updates_instead_of_duplicating(export):
    path = export()
    run(path)
    path.write_text(path.read_text(encoding="utf-8").replace("码头夜景", "码头的夜景"))
    out, _ = run(path)
    assert "0 created, 9 updated, 0 failed" in out
    assert Article.objects.count() == 9
    assert by_external(108).title == "码头的夜景"
    assert get_image_model().objects.count() == 1
    assert Redirect.objects.filter(old_path="/?p=101").count() == 1


@pytest.mark.django_db
def test_old_permalinks_answer_301_to_the_new_address(export, client):
    run(export())
    port = by_external(101)
    for old in ("/2024/09/22/port-opens/", "/?p=101"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == port.get_absolute_url()
    assert client.get("/?p=999999").status_code == 200  # the home page, as before


@pytest.mark.django_db
def test_redirects_made_in_the_admin_work_too(client):
    Redirect.add_redirect("/old-about/", "https://example.com/about/", is_permanent=True)
    response = client.get("/old-about/")
    assert response.status_code == 301
    assert response["Location"] == "https://example.com/about/"


@pytest.mark.django_db
def test_a_post_without_category_fails_without_the_option(export):
    with pytest.raises(CommandError, match="8 created, 0 updated, 1 failed"):
        run_import(str(export()))


@pytest.mark.django_db
def test_older_export_versions_import_too(export):
    out, _ = run(export(namespace="1.0"))
    assert "9 created" in out


@pytest.mark.django_db
def test_a_malformed_export_is_refused_with_its_line_and_column(export):
    path = export("wordpress-malformed.xml")
    with pytest.raises(CommandError, match=r"line 40, column 9: .*nothing was imported"):
        call_command("import", str(path), "--no-progress", "--category", "未分类")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_draft_and_category_options_apply_to_every_post(export):
    run(export(), "--draft")
    assert not Article.objects.published().exists()
    assert by_external(104).category.name == "未分类"  # it had none
    assert by_external(101).category.name == "亚太"


def test_autop_wraps_paragraphs_and_leaves_blocks():
    assert autop("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>"
    assert autop("<h2>Title</h2>\ntext") == "<h2>Title</h2>\n<p>text</p>"
    assert autop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"


def test_a_bare_gallery_shows_the_posts_own_attachments():
    html = wordpress_html("[gallery]", children=["https://x.example/a.jpg"])
    assert html == '<figure><img src="https://x.example/a.jpg" alt=""></figure>'


def guidless_export(tmp_path, blog, *items):
    """An export whose posts have no <guid>, as some tools and WordPress's own tests write
    them: (post id, title, body) items, one CDATA section split in several."""
    posts = "".join(
        f"<item><title>{title}</title><wp:post_id>{post_id}</wp:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        f"<content:encoded>\n<![CDATA[{body[:5]}]]><![CDATA[{body[5:]}]]>\n</content:encoded>"
        "</item>"
        for post_id, title, body in items
    )
    path = tmp_path / f"{blog}.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title>'
        f"<link>https://{blog}.example</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>https://{blog}.example</wp:base_site_url>"
        f"<wp:base_blog_url>https://{blog}.example/news</wp:base_blog_url>"
        f"{posts}</channel></rss>",
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_posts_without_guid_of_two_blogs_do_not_update_each_other(tmp_path):
    first = guidless_export(tmp_path, "north", (1, "北方的第一篇", "第一段文字，北方。"))
    second = guidless_export(tmp_path, "south", (1, "南方的第一篇", "第一段文字，南方。"))
    assert "1 created, 0 updated" in run(first)[0]
    assert "1 created, 0 updated" in run(second)[0]
    north = Article.objects.get(external_id="wordpress:https://north.example/news?p=1")
    assert north.title == "北方的第一篇" and "第一段文字，北方。" in north.body
    assert Article.objects.get(external_id__contains="south").title == "南方的第一篇"
    # The same export again updates its own post.
    assert "0 created, 1 updated" in run(first)[0]
