import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from peninsula.comments.models import Comment
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
def test_an_empty_title_gets_its_first_sentence(export):
    run(export())
    assert by_external(107).title == "台风外围影响，本周局部地区有暴雨，请市民注意出行安全"


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


WP = "http://wordpress.org/export/1.2/"


def small_export(tmp_path, *items, wp=WP, language=""):
    """An export holding `items` (<item> XML, see `post`) in a channel of the given language."""
    path = tmp_path / "small.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:wp="{wp}"><channel><title>Blog</title><link>https://small.example</link>'
        f"<language>{language}</language><wp:wxr_version>1.2</wp:wxr_version>"
        f"{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )
    return path


def post(post_id, extra="", *, title=None, date="2024-06-05 16:04:48", date_gmt=None):
    """A published post (its title "Post N" unless given) with `extra` XML inside."""
    title = f"Post {post_id}" if title is None else title
    gmt = f"<wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>" if date_gmt is not None else ""
    return (
        f"<item><title>{title}</title><guid>https://small.example/?p={post_id}</guid>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_type>post</wp:post_type>"
        f"<wp:status>publish</wp:status><wp:post_date>{date}</wp:post_date>{gmt}"
        f"<content:encoded>The text of post {post_id}.</content:encoded>{extra}</item>"
    )


def small(post_id):
    return Article.objects.get(external_id=f"https://small.example/?p={post_id}")


def run_failing(path):
    """Import an export some posts of which fail; returns the command's message and stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import",
            str(path),
            "--no-progress",
            "--category",
            "未分类",
            stdout=io.StringIO(),
            stderr=err,
        )
    return str(raised.value), err.getvalue()


@pytest.mark.django_db
def test_an_unusable_post_date_gives_way_to_the_other_one(tmp_path):
    path = small_export(
        tmp_path,
        post(1, date="2024-06-05 16:04:48", date_gmt="2012-00-00 00:00:00"),
        post(2, date="not a date", date_gmt="2024-06-05 08:04:48"),
        post(3, date="2024-06-05 16:04:48", date_gmt="0000-00-00 00:00:00"),
    )
    assert "3 created, 0 updated, 0 failed" in run(path)[0]
    local = datetime(2024, 6, 5, 8, 4, 48, tzinfo=UTC)  # 16:04:48 in Asia/Shanghai
    assert {small(n).published_at for n in (1, 2, 3)} == {local}


@pytest.mark.django_db
def test_a_post_without_a_usable_date_fails_alone(tmp_path):
    path = small_export(
        tmp_path,
        post(1),
        post(2, date="2012-00-00 00:00:00", date_gmt="0000-00-00 00:00:00"),
        post(3, date="0001-01-01 00:00:00"),  # before year 1 in UTC
        # Odd but readable: an XML comment among its elements, a link that is no URL.
        post(4, "<!-- exported by hand --><link>http://[::1</link>"),
    )
    message, err = run_failing(path)
    assert "2 created, 0 updated, 2 failed" in message
    assert "post date '2012-00-00 00:00:00' is not a usable date" in err
    assert "post date '0001-01-01 00:00:00' is not a usable date" in err
    assert {small(1).title, small(4).title} == {"Post 1", "Post 4"}


@pytest.mark.django_db
def test_password_protected_posts_land_as_drafts(tmp_path):
    password = "<wp:post_password>secret</wp:post_password>"
    path = small_export(tmp_path, post(1, password), post(2, password, date="2099-01-01 00:00:00"))
    run(path)
    for post_id in (1, 2):
        assert not small(post_id).live and small(post_id).go_live_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "wp", ["https://wordpress.org/export/1.2/", "https://wordpress.org/export/1.0/"]
)
def test_an_export_whose_namespace_is_https_imports(tmp_path, wp):
    out, _ = run(small_export(tmp_path, post(1), wp=wp))
    assert "1 created, 0 updated, 0 failed" in out


@pytest.mark.django_db
def test_titles_and_term_names_are_plain_text(tmp_path):
    terms = (
        '<category domain="category" nicename="tv"><![CDATA[TV &amp; <b>Film</b>]]></category>'
        '<category domain="post_tag" nicename="c"><![CDATA[Cats &amp; Dogs]]></category>'
    )
    title = "Tom &amp;amp; Jerry&#8217;s &lt;em&gt;day&lt;/em&gt;\n &#038; more"
    run(small_export(tmp_path, post(1, terms, title=title)))
    article = small(1)
    assert article.title == "Tom & Jerry’s day & more"
    assert article.category.name == "TV & Film"
    assert list(article.tags.names()) == ["Cats & Dogs"]


@pytest.mark.django_db
def test_category_names_of_the_channel_are_plain_text(tmp_path):
    tree = (
        "<wp:category><wp:category_nicename>arts</wp:category_nicename>"
        "<wp:category_parent></wp:category_parent>"
        "<wp:cat_name><![CDATA[Arts &amp; Culture]]></wp:cat_name></wp:category>"
    )
    category = '<category domain="category" nicename="arts"><![CDATA[Arts]]></category>'
    run(small_export(tmp_path, tree, post(1, category)))
    assert small(1).category.name == "Arts & Culture"


# The channel's language → the post's, in the usual case, as a feed's channel gives it (records
# check the tag); none gives the default.
LANGUAGES = {
    "en-US": "en-US",
    "en": "en",
    "zh-tw": "zh-TW",
    "zh-Hans": "zh-Hans",
    "": "zh",
}


@pytest.mark.django_db
def test_the_channel_language_is_each_posts_language(tmp_path):
    for post_id, channel in enumerate(LANGUAGES, start=1):
        run(small_export(tmp_path, post(post_id), language=channel))
    found = {channel: small(n).language for n, channel in enumerate(LANGUAGES, start=1)}
    assert found == LANGUAGES


def comment(comment_id, text, kind="comment"):
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
        f"<wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_date_gmt>2024-06-05 09:00:00</wp:comment_date_gmt>"
        f"<wp:comment_type>{kind}</wp:comment_type></wp:comment>"
    )


@pytest.mark.django_db
def test_only_reader_comments_are_imported(tmp_path):
    comments = (
        comment(1, "A reader's word.")
        + comment(2, "Check this paragraph.", kind="note")
        + comment(3, "Linked from elsewhere.", kind="pingback")
        + comment(4, "An untyped comment.", kind="")
    )
    run(small_export(tmp_path, post(1, comments)))
    texts = set(Comment.objects.filter(article=small(1)).values_list("text", flat=True))
    assert texts == {"A reader's word.", "An untyped comment."}


@pytest.mark.django_db
def test_a_line_break_in_a_comment_stays_a_line_break(tmp_path):
    run(small_export(tmp_path, post(1, comment(1, "A comment.<br />To delete it, log in.<BR>"))))
    assert Comment.objects.get().text == "A comment.\nTo delete it, log in."


def test_a_url_alone_on_its_line_is_a_link_where_it_stands():
    """Classic posts: its own paragraph (autop); block posts: inside the block's paragraph."""
    classic = wordpress_html("Watch this:\n\nhttps://video.example/v/1\n\nThen read on.")
    assert classic == (
        "<p>Watch this:</p>\n"
        '<p><a href="https://video.example/v/1">https://video.example/v/1</a></p>\n'
        "<p>Then read on.</p>"
    )
    blocks = wordpress_html(
        "<!-- wp:paragraph -->\n<p>\n    See:\n    https://x.example/a\n</p>\n"
        "<!-- /wp:paragraph -->"
    )
    assert blocks == '<p>\n    See:\n<a href="https://x.example/a">https://x.example/a</a>\n</p>'


@pytest.mark.django_db
def test_a_title_or_author_longer_than_its_column_is_shortened_not_refused(tmp_path):
    # WordPress sets no length on a title or a display name; the column holds 255 and 100.
    title = "长" * 300
    creator = "dc:creator"
    author = f"<{creator}>{'Name ' * 30}</{creator}>"
    path = small_export(tmp_path, post(1, author, title=title))
    path.write_text(
        path.read_text().replace("<rss ", '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" '),
        encoding="utf-8",
    )
    out, err = run(path, "--category", "未分类")
    assert "1 created, 0 updated, 0 failed" in out, err
    article = small(1)
    assert article.title == "长" * 254 + "…"
    assert len(article.byline) <= 255 and article.authors.get().name.endswith("…")


@pytest.mark.django_db
def test_a_featured_image_that_is_no_web_address_leaves_the_post_imported(tmp_path):
    attachment = (
        "<item><title>pic</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type>"
        "<wp:attachment_url>javascript:alert(1)</wp:attachment_url></item>"
    )
    thumbnail = (
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>9</wp:meta_value></wp:postmeta>"
    )
    out, err = run(small_export(tmp_path, attachment, post(1, thumbnail)))
    assert "1 created, 0 updated, 0 failed" in out
    assert "featured image 'javascript:alert(1)' is not a web address" in err
    assert small(1).cover_image is None
