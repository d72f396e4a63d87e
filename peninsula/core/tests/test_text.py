import pytest

from peninsula.core.text import html_to_text, make_excerpt, slug_for, strip_control_characters

REFERENCE_BODY = (
    "<p>By Kim Bo-eun</p>"
    "<p>Denuclearization talks between North Korea and the U.S. that appeared to have been "
    "stalled may gain impetus, with leaders of the countries engaging in communication.</p>"
    "<p>U.S. President Donald Trump thanked North Korean leader Kim Jong-un, Thursday, after "
    'receiving a "nice letter" from him.</p>'
)
CHINESE = (
    "<p>国家统计局今天发布数据显示，前八个月全国规模以上工业增加值同比增长百分之五点八，"
    "增速比前七个月加快零点一个百分点。其中，高技术制造业增加值增长明显，对工业增长的贡献率"
    "继续提高；专家认为，经济回升向好的态势进一步巩固，全年目标有望实现。</p>"
)


def test_reference_article_excerpt_leaves_out_byline_and_ends_on_a_word():
    excerpt = make_excerpt(REFERENCE_BODY, byline="Kim Bo-eun", length=100)
    assert excerpt.startswith("Denuclearization talks between North Korea and the U.S. ")
    assert excerpt.endswith("…")
    assert len(excerpt) <= 101
    words = excerpt[:-1].split()
    text_words = html_to_text(REFERENCE_BODY).split()
    assert words == text_words[3 : 3 + len(words)]  # whole words, right after "By Kim Bo-eun"


@pytest.mark.parametrize(
    ("body", "byline"),
    [
        ("<p>By Kim Bo-eun</p><p>Talks resume.</p>", "Kim Bo-eun"),
        ("<p>By Kim Bo-eun</p><p>Talks resume.</p>", "By Kim Bo-eun"),
        ("<p>By Kim Bo-eunTalks resume.</p>", "Kim Bo-eun"),
        ("<p>BY KIM BO-EUN</p><p>Talks resume.</p>", "Kim Bo-eun"),
        ("<p>by  kim   bo-eun,</p><p>Talks resume.</p>", "By Kim Bo-eun"),
        ("<p>Kim Bo-eun</p><p>Talks resume.</p>", "Kim Bo-eun"),
        ("<p><strong>By Kim Bo-eun</strong></p>\n<p>Talks resume.</p>", "Kim Bo-eun"),
        ("<p>By Kim Bo-eun</p><p>Talks resume.</p>", ""),
        ("<p>记者 张三</p><p>Talks resume.</p>", "张三"),
    ],
)
def test_byline_is_left_out_in_every_form(body, byline):
    assert make_excerpt(body, byline=byline) == "Talks resume."


def test_text_that_only_starts_like_a_byline_is_kept():
    body = "<p>By the end of the year, prices rose by a third across the region.</p>"
    assert make_excerpt(body) == html_to_text(body)


def test_chinese_is_cut_after_a_full_character_preferring_punctuation():
    excerpt = make_excerpt(CHINESE, length=60)
    assert excerpt.endswith("…")
    stem = excerpt[:-1]
    assert html_to_text(CHINESE).startswith(stem)
    assert 48 <= len(stem) <= 60
    # The cut lands right before one of ，。；: the excerpt stops where a clause ends.
    assert html_to_text(CHINESE)[len(stem)] in "，。；"
    assert stem[-1] not in "，。；！？、"


def test_chinese_without_punctuation_nearby_is_cut_at_the_length():
    text = "中" * 300
    assert make_excerpt(text, length=100) == "中" * 100 + "…"


def test_mixed_chinese_and_english_never_splits_an_english_word():
    body = "<p>" + "新版本 Python 带来了更快的 interpreter 和 better error messages，" * 6 + "</p>"
    excerpt = make_excerpt(body, length=50)
    stem = excerpt[:-1]
    full = html_to_text(body)
    assert full.startswith(stem)
    following = full[len(stem)]
    assert not (stem[-1].isascii() and stem[-1].isalpha() and following.isalpha())
    assert len(stem) <= 50


def test_entities_are_decoded_and_never_cut():
    body = "<p>" + "Tom &amp; Jerry &lt;3 caf&eacute; &mdash; " * 10 + "</p>"
    excerpt = make_excerpt(body, length=40)
    assert "&" in excerpt and "&amp;" not in excerpt and "&eac" not in excerpt
    assert excerpt.startswith("Tom & Jerry <3 café — Tom & Jerry")


def test_text_that_looks_like_markup_after_decoding_is_kept():
    assert make_excerpt("<p>a &lt;b&gt; c</p>") == "a <b> c"


def test_scripts_styles_and_comments_are_not_text():
    body = "<style>p{}</style><p>Hello<script>alert(1)</script> <!-- note -->world</p>"
    assert make_excerpt(body) == "Hello world"


def test_inline_tags_do_not_split_words_but_blocks_do():
    assert html_to_text("<p><b>W</b>ord</p><p>next</p>line<br>break") == "Word next line break"


def test_emoji_and_combining_marks_stay_whole():
    family = "👨\u200d👩\u200d👧"
    text = "a" * 9 + family + " tail" * 20
    for length in range(9, 15):
        stem = make_excerpt(text, length=length)[:-1]
        assert stem in ("a" * 9, "a" * 9 + family)
    accented = "e\u0301" * 150
    assert not make_excerpt(accented, length=101)[:-1].endswith("e")


def test_lone_surrogates_are_not_split():
    text = "x" * 99 + "\ud83d\ude00" + "y" * 50
    stem = make_excerpt(text, length=100)[:-1]
    assert not "\ud800" <= stem[-1] <= "\udbff"


def test_no_punctuation_before_the_ellipsis():
    body = "<p>" + "One, two; three: four. " * 20 + "</p>"
    for length in range(20, 60):
        stem = make_excerpt(body, length=length)[:-1]
        assert stem[-1].isalnum()


def test_abbreviations_keep_their_full_stop():
    body = "<p>" + "talks with the U.S. " * 20 + "</p>"
    assert make_excerpt(body, length=19) == "talks with the U.S.…"


def test_very_short_bodies_are_returned_whole():
    assert make_excerpt("<p>短文。</p>") == "短文。"
    assert make_excerpt("<p>Short.</p>", byline="Kim") == "Short."
    assert make_excerpt("") == ""
    assert make_excerpt(None) == ""


def test_a_summary_is_kept_whole():
    summary = "An editor's summary, " * 20
    assert make_excerpt(summary, byline="Kim", is_summary=True) == summary.strip()


def test_long_bodies_give_the_same_excerpt_as_their_start():
    paragraph = "<p>" + "word " * 30 + "</p>"
    long_body = "<p>By Kim</p>" + paragraph * 400 + "<script>x</script>"
    assert make_excerpt(long_body, byline="Kim") == make_excerpt(
        "<p>By Kim</p>" + paragraph * 2, byline="Kim"
    )
    cut_in_a_script = "<p>" + "word " * 30 + "</p><script>" + "alert(1);" * 500 + "</script>"
    assert "alert" not in make_excerpt(cut_in_a_script * 3, length=100)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("产品中心", "chanpinzhongxin"),
        ("国际News", "guoji-news"),
        ("重庆", "chongqing"),
        ("Café Ｎｅｗｓ", "cafe-news"),
        ("Korea Times", "korea-times"),
    ],
)
def test_slugs_are_ascii(name, slug):
    assert slug_for(name, fallback="x") == slug


def test_slug_falls_back_when_nothing_is_left():
    assert slug_for("뉴스", fallback="category") == "category"
    assert slug_for("", fallback="author") == "author"
    assert len(slug_for("很长的名字" * 50, fallback="x")) <= 90


@pytest.mark.django_db
def test_excerpt_length_comes_from_site_settings_else_the_setting(settings):
    from peninsula.core.models import SiteSettings
    from peninsula.core.text import excerpt_length

    settings.PENINSULA_EXCERPT_LENGTH = 77
    SiteSettings.objects.all().delete()
    assert excerpt_length() == 77
    SiteSettings.objects.create(excerpt_length=40)
    assert excerpt_length() == 40


@pytest.mark.django_db
def test_article_excerpt_uses_the_site_setting():
    from peninsula.content.tests.factories import ArticleFactory
    from peninsula.core.models import SiteSettings

    SiteSettings.objects.all().delete()
    SiteSettings.objects.create(excerpt_length=25)
    article = ArticleFactory(body=REFERENCE_BODY, byline="Kim Bo-eun")
    assert article.excerpt == "Denuclearization talks…"


def test_chinese_paragraphs_join_without_a_space_and_english_ones_with_one():
    assert html_to_text("<p>第一段。</p><p>第二段。</p>") == "第一段。第二段。"
    assert html_to_text("<p>One.</p><p>Two.</p>") == "One. Two."
    assert html_to_text("<p>中文。</p><p>English.</p>") == "中文。 English."


def test_strip_control_characters_keeps_what_xml_allows():
    kept = "Tab\there, new\nline\r\n, 中文, emoji 👍, \x7f and \x85 and \ufffd"
    assert strip_control_characters(kept) == kept
    dropped = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))
    assert strip_control_characters(f"a{dropped}b\ufffec\uffffd\ud800e\udfff") == "abcde"


def test_strip_control_characters_cleans_through_containers():
    value = {"title": "a\x0bb", "tags": ["c\x00", ("d\x1f",)], "views": 3, "at": None}
    assert strip_control_characters(value) == {
        "title": "ab",
        "tags": ["c", ("d",)],
        "views": 3,
        "at": None,
    }
