import datetime as dt
import json
import os
import subprocess
import sys

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from taggit.models import Tag

from peninsula.content.changes import articles_changed
from peninsula.content.models import Article, Author, Category, Source
from peninsula.content.sample import sample_lines
from peninsula.ingestion.jsonl import import_jsonl

from .conftest import line

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 10, 1, 12, 0, tzinfo=dt.UTC)

REFERENCE = line(
    external_id="kt-1",
    title="Denuke talks may gain impetus with Kim",
    body=(
        "<p>By Kim Bo-eun</p><p>Denuclearization talks between North Korea and the U.S. that "
        "appeared to have been stalled may gain impetus, with leaders of the countries engaging "
        "in communication.</p>"
    ),
    category="产品中心",
    tags=["朝鲜半岛", "Diplomacy"],
    byline="Kim Bo-eun",
    authors=["Kim Bo-eun"],
    source_name="The Korea Times",
    source_url="https://www.koreatimes.co.kr/",
    language="en",
    published_at="2024-09-22T01:36:59+08:00",
    status="published",
    views=3,
    likes=4,
)


@time_machine.travel(NOW, tick=False)
def test_a_good_file_imports_every_field(jsonl_file):
    result = import_jsonl(jsonl_file(REFERENCE))

    assert (result.created, result.updated, result.failed) == (1, 0, 0)
    article = Article.objects.get(external_id="kt-1")
    assert article.title == "Denuke talks may gain impetus with Kim"
    assert article.category.name == "产品中心"
    assert article.category.slug == "chanpinzhongxin"
    assert sorted(article.tags.names()) == ["Diplomacy", "朝鲜半岛"]
    assert [a.name for a in article.authors.all()] == ["Kim Bo-eun"]
    assert article.source.name == "The Korea Times"
    assert article.source_url == "https://www.koreatimes.co.kr/"
    assert article.byline == "Kim Bo-eun"
    assert article.language == "en"
    assert article.published_at == dt.datetime(2024, 9, 21, 17, 36, 59, tzinfo=dt.UTC)
    assert (article.views, article.likes) == (3, 4)
    assert article.excerpt.startswith("Denuclearization talks between North Korea and the U.S. ")
    assert article.excerpt.endswith("…")
    assert article.live and not article.has_unpublished_changes
    assert article.first_published_at == article.last_published_at == article.published_at
    assert article.go_live_at is None
    assert article.created_at == NOW
    assert Article.objects.published().get() == article
    assert Tag.objects.get(name="朝鲜半岛").slug == "chaoxianbandao"


def test_reimport_updates_instead_of_duplicating(jsonl_file):
    import_jsonl(jsonl_file(REFERENCE))
    article = Article.objects.get()
    Article.objects.update(views=F("views") + 10)

    changed = json.loads(REFERENCE)
    changed.update(title="New title", tags=["Diplomacy", "Summit"], authors=[], summary="Short.")
    del changed["views"]
    result = import_jsonl([json.dumps(changed)])

    assert (result.created, result.updated, result.failed) == (0, 1, 0)
    article = Article.objects.get()
    assert article.title == "New title"
    assert sorted(article.tags.names()) == ["Diplomacy", "Summit"]
    assert not article.authors.exists()
    assert article.excerpt == "Short."
    assert article.views == 13  # not in the file: the stored count stays
    assert article.likes == 4  # in the file: replaced by the file's count
    assert article.latest_revision is not None
    assert article.live_revision == article.latest_revision
    assert article.latest_revision.as_object().title == "New title"


def test_reimport_keeps_exactly_the_new_authors_and_tags(jsonl_file):
    import_jsonl(jsonl_file(line(external_id="a", authors=["Kim", "Lee"], tags=["x", "y"])))
    import_jsonl(jsonl_file(line(external_id="a", authors=["Lee", "Park"], tags=["y", "z"])))
    article = Article.objects.get()
    assert sorted(a.name for a in article.authors.all()) == ["Lee", "Park"]
    assert sorted(article.tags.names()) == ["y", "z"]
    assert set(article.tagged_items.values_list("published_at", flat=True)) == {
        article.published_at
    }


def test_reimport_replaces_counts_given_in_the_file(jsonl_file):
    import_jsonl(jsonl_file(REFERENCE))
    Article.objects.update(views=F("views") + 100, likes=F("likes") + 100)
    changed = json.loads(REFERENCE) | {"views": 7, "likes": 0}
    import_jsonl([json.dumps(changed)])
    article = Article.objects.get()
    assert (article.views, article.likes) == (7, 0)


def test_the_same_external_id_twice_in_one_file_keeps_the_last(jsonl_file):
    result = import_jsonl(
        jsonl_file(line(external_id="a", title="First"), line(external_id="a", title="Second"))
    )
    assert (result.created, result.updated) == (1, 1)
    assert Article.objects.get().title == "Second"


BAD_LINES = [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "must hold a JSON object"),
    (line(title=None), "title is required"),
    (line(title="   "), "title is empty"),
    (line(title=5), "title must be a string"),
    (line(body=None), "body (HTML) or body_markdown is required"),
    (line(body_markdown="x"), "either body or body_markdown"),
    (line(body="<script>alert(1)</script>"), "body is empty"),
    (line(category=None), "category is required"),
    (line(category="国际//亚太"), "empty level"),
    (line(category=["国际"]), "must be a string"),
    (line(published_at="2024-09-22 01:36:59"), "has no time zone"),
    (line(published_at="0001-01-01T00:00:00+08:00"), "outside the years the site can show"),
    (line(published_at="9999-12-31T23:00:00-05:00"), "outside the years the site can show"),
    (line(published_at="yesterday"), "not an ISO 8601"),
    (line(published_at=1727000000), "must be an ISO 8601 string"),
    (line(status="live"), "status must be draft or published"),
    (line(tags="a,b"), "tags must be a list of strings"),
    (line(tags=["ok", 3]), "tags must be a list of strings"),
    (line(tags=["  "]), "tags contains an empty name"),
    (line(authors=["x" * 101]), "longer than 100"),
    (line(views=-1), "views must not be negative"),
    (line(likes=1.5), "likes must be a whole number"),
    (line(views=True), "views must be a whole number"),
    (line(views=2**63), "views is too large"),
    (line(language="english language"), "not a BCP 47 tag"),
    (line(source_url="javascript:alert(1)"), "not an http(s) URL"),
    (line(external_id=""), "external_id is empty"),
    (line(catgory="typo"), "unknown key: catgory"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_LINES)
def test_a_bad_line_is_reported_with_its_number_and_the_others_import(jsonl_file, bad, reason):
    result = import_jsonl(jsonl_file(line(title="good 1"), bad, "", line(title="good 2")))
    assert (result.created, result.failed) == (2, 1)
    assert result.errors[0].line == 2
    assert reason in result.errors[0].reason
    assert sorted(Article.objects.values_list("title", flat=True)) == ["good 1", "good 2"]


def test_invalid_utf8_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + line(title="one").encode() + b"\n\xff\xfe bad\n" + line().encode()
    )
    result = import_jsonl(path)
    assert (result.created, result.failed) == (2, 1)
    assert str(result.errors[0]) == "line 2: not valid UTF-8 (byte 1)"


def test_a_line_failing_halfway_leaves_nothing_behind(jsonl_file, refuse_tag_named_boom):
    # The failing line creates a category, an author and tags before its tag link is refused.
    result = import_jsonl(
        jsonl_file(
            line(title="before"),
            line(title="broken", category="新栏目/子栏目", authors=["新作者"], tags=["新", "boom"]),
            line(title="after", tags=["kept"]),
        )
    )
    assert (result.created, result.failed) == (2, 1)
    assert result.errors[0].line == 2
    assert "the tag boom is refused" in result.errors[0].reason
    assert sorted(Article.objects.values_list("title", flat=True)) == ["after", "before"]
    assert not Category.objects.filter(name__in=["新栏目", "子栏目"]).exists()
    assert not Author.objects.exists()
    assert not Tag.objects.filter(name__in=["新", "boom"]).exists()
    assert list(Article.objects.get(title="after").tags.names()) == ["kept"]


def test_a_reimport_failing_halfway_leaves_the_article_as_it_was(jsonl_file, refuse_tag_named_boom):
    import_jsonl(jsonl_file(line(external_id="a", title="Original", tags=["old"])))
    result = import_jsonl(
        jsonl_file(line(external_id="a", title="Changed", tags=["boom"], category="其他"))
    )
    assert (result.updated, result.failed) == (0, 1)
    article = Article.objects.get()
    assert article.title == "Original"
    assert list(article.tags.names()) == ["old"]
    assert not Category.objects.filter(name="其他").exists()
    assert article.latest_revision is None


def test_unsafe_html_is_removed(jsonl_file):
    body = (
        '<p onclick="x()">Hi<script>alert(1)</script><img src="x.png" onerror="alert(1)">'
        '<a href="javascript:alert(1)">a</a><a href="https://example.com/">b</a></p>'
    )
    import_jsonl(jsonl_file(line(body=body)))
    stored = Article.objects.get().body
    assert stored == (
        '<p>Hi<img src="x.png"><a rel="noopener">a</a>'
        '<a href="https://example.com/" rel="noopener">b</a></p>'
    )


def test_markdown_body_is_rendered_then_sanitised(jsonl_file):
    markdown = "# Heading\n\nSome **bold** text.\n\n- one\n- two\n\n<script>alert(1)</script>"
    import_jsonl(jsonl_file(line(body=None, body_markdown=markdown)))
    body = Article.objects.get().body
    assert "<h2>Heading</h2>" in body
    assert "<strong>bold</strong>" in body
    assert "<li>one</li>" in body
    assert "script" not in body


def test_category_paths_are_created_once_and_nested(jsonl_file):
    import_jsonl(
        jsonl_file(
            line(category="国际/亚太/东北亚"), line(category="国际/欧洲"), line(category="国际")
        )
    )
    world = Category.objects.get(name="国际", parent=None)
    assert sorted(world.children.values_list("name", flat=True)) == ["亚太", "欧洲"]
    assert Category.objects.get(name="东北亚").parent.parent == world
    assert Category.objects.count() == 4
    assert Article.objects.filter(category=world).count() == 1


@time_machine.travel(NOW, tick=False)
def test_drafts_and_scheduled_articles_are_not_shown(jsonl_file):
    import_jsonl(
        jsonl_file(
            line(external_id="draft", status="draft"),
            line(external_id="later", published_at="2024-10-02T08:00:00+08:00"),
        )
    )
    draft = Article.objects.get(external_id="draft")
    later = Article.objects.get(external_id="later")
    assert not draft.live and draft.go_live_at is None and draft.has_unpublished_changes
    assert not later.live
    assert later.go_live_at == dt.datetime(2024, 10, 2, 0, 0, tzinfo=dt.UTC)
    assert later.scheduled_revision.approved_go_live_at == later.go_live_at
    assert later.approved_schedule
    assert not Article.objects.published().exists()


def test_a_scheduled_article_goes_live_on_time(jsonl_file):
    with time_machine.travel(NOW, tick=False):
        import_jsonl(jsonl_file(line(external_id="later", published_at="2024-10-02T08:00:00Z")))
    with time_machine.travel(dt.datetime(2024, 10, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        call_command("publish_scheduled", verbosity=0)
        article = Article.objects.get()
        assert article.live
        assert article.published_at == dt.datetime(2024, 10, 2, 8, 0, tzinfo=dt.UTC)
        assert Article.objects.published().get() == article


def test_reimport_as_published_cancels_an_earlier_schedule(jsonl_file):
    with time_machine.travel(NOW, tick=False):
        import_jsonl(jsonl_file(line(external_id="a", published_at="2024-10-02T08:00:00Z")))
        import_jsonl(jsonl_file(line(external_id="a", published_at="2024-09-30T08:00:00Z")))
        article = Article.objects.get()
        assert article.live and article.go_live_at is None
        assert article.scheduled_revision is None
        assert Article.objects.published().get() == article


def test_published_without_a_time_is_published_now(jsonl_file):
    with time_machine.travel(NOW, tick=False):
        import_jsonl(jsonl_file(line(published_at=None)))
    assert Article.objects.get().published_at == NOW


@pytest.mark.parametrize(
    ("given", "stored"), [("zh", "zh"), ("EN-us", "en-US"), ("zh_hant_tw", "zh-Hant-TW")]
)
def test_language_tags_are_normalised(jsonl_file, given, stored):
    import_jsonl(jsonl_file(line(language=given)))
    assert Article.objects.get().language == stored


def test_imported_ids_are_announced_after_commit(jsonl_file, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, ids, **kwargs):
        received.append(sorted(ids))

    articles_changed.connect(receiver, sender=Article)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_jsonl(
                jsonl_file(line(title="a"), line(title="b"), line(title="c")), batch_size=2
            )
    finally:
        articles_changed.disconnect(receiver, sender=Article)
    assert [pk for ids in received for pk in ids] == sorted(
        Article.objects.values_list("pk", flat=True)
    )


def test_progress_is_reported_per_line(jsonl_file):
    seen = []
    import_jsonl(jsonl_file(line(), "", "{bad"), progress=seen.append)
    assert sum(seen) == 3


def test_generated_benchmark_lines_all_import():
    result = import_jsonl(list(sample_lines(60)), batch_size=25)
    assert (result.created, result.failed) == (60, 0)
    assert Article.objects.published().count() == 60
    assert Source.objects.count() == 3
    assert all(a.excerpt and not a.excerpt.startswith("By ") for a in Article.objects.all())


def test_a_line_over_the_size_limit_is_refused_and_the_others_import(tmp_path, settings):
    settings.PENINSULA_IMPORT_MAX_ITEM_BYTES = 2000
    fits = line(title="fits", body="<p>" + "x" * (2000 - len(line(body="<p></p>"))) + "</p>")
    assert len(fits.encode()) == 2000
    big = line(title="big", body="<p>" + "新闻" * 2000 + "</p>")
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join([line(title="before"), big, fits, big, line(title="after")]))

    for source in (path, path.read_text().splitlines(keepends=True)):
        Article.objects.all().delete()
        result = import_jsonl(source)
        assert (result.created, result.failed) == (3, 2)
        assert [error.line for error in result.errors] == [2, 4]
        assert result.errors[0].reason == (
            "longer than 0.00190735 MB, the limit for one article (IMPORT_MAX_ITEM_MB)"
        )
        assert sorted(Article.objects.values_list("title", flat=True)) == [
            "after",
            "before",
            "fits",
        ]


PEAK_RSS = """
import json, resource, sys
import django
django.setup()
from peninsula.ingestion.jsonl import import_jsonl
ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = import_jsonl(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"created": result.created, "errors": [str(e) for e in result.errors],
                  "ready_mb": ready / 1024, "peak_mb": peak / 1024}))
"""


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_30_mb_line_is_skipped_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.jsonl"
    with open(path, "w", encoding="utf-8") as file:
        file.write(line(title="huge", body="<p>" + "朝鲜半岛新闻。" * 1_500_000 + "</p>") + "\n")
        file.write(line(title="after") + "\n")
    assert path.stat().st_size > 30 * 2**20
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env["DATABASE_URL"] = _database_url()
    completed = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    outcome = json.loads(completed.stdout.splitlines()[-1])
    print(
        f"peak RSS {outcome['ready_mb']:.0f} MB before the import, {outcome['peak_mb']:.0f} after"
    )
    assert outcome["created"] == 1
    assert outcome["errors"] == [
        "line 1: longer than 5 MB, the limit for one article (IMPORT_MAX_ITEM_MB)"
    ]
    # Reading the line whole took gigabytes; a bound far above the 5 MB limit still tells.
    assert outcome["peak_mb"] - outcome["ready_mb"] < 64


def test_imported_authors_land_in_their_order_credited_for_the_text(jsonl_file):
    import_jsonl(jsonl_file(line(external_id="a", authors=["王小明", "Adams", "李华"])))
    article = Article.objects.get(external_id="a")
    credits = [(c.author.name, c.role) for c in article.credits.all()]
    assert credits == [("王小明", "text"), ("Adams", "text"), ("李华", "text")]
    import_jsonl(jsonl_file(line(external_id="a", authors=["李华", "王小明"])))
    article = Article.objects.get(external_id="a")
    assert [c.author.name for c in article.credits.all()] == ["李华", "王小明"]
