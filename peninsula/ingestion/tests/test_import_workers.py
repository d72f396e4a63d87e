"""The import's worker process: it checks and analyses items while this process writes them, and
what lands is exactly what one process alone stores (docs/import-format.md)."""

import multiprocessing
import os
import signal

import pytest
from taggit.models import Tag

from peninsula.content.models import Article, RelatedArticle
from peninsula.content.sample import sample_lines
from peninsula.ingestion import pipeline
from peninsula.ingestion.jsonl import import_jsonl, jsonl_items
from peninsula.search import services as search_services
from peninsula.search.models import SearchDocument

from .conftest import line

LINES = 3 * pipeline.CHUNK + 17  # enough chunks for the worker, and a last short one


def _stored():
    """What an import left, by external id: the article's own and derived rows."""
    key = dict(Article.objects.values_list("pk", "external_id"))
    articles = {
        row[0]: row[1:]
        for row in Article.objects.values_list(
            "external_id", "title", "body", "summary", "excerpt", "simhash", "live", "published_at"
        )
    }
    documents = {
        key[pk]: rest
        for pk, *rest in SearchDocument.objects.values_list(
            "article_id", "title_tokens", "body_tokens", "language"
        )
    }
    related = sorted(
        (key[a], key[b], rank)
        for a, b, rank in RelatedArticle.objects.values_list("article_id", "related_id", "rank")
    )
    tags = sorted((a.external_id, name) for a in Article.objects.all() for name in a.tags.names())
    return articles, documents, related, tags


@pytest.mark.django_db(transaction=True)
def test_a_long_import_stores_with_a_worker_what_one_process_stores(settings):
    search_services._remembered.clear()  # left by tests whose transactions never commit
    lines = list(sample_lines(LINES, prefix="workers"))
    lines[5] = "{not json"
    lines[150] = line(title="")  # refused by validation, in a chunk of the worker

    settings.PENINSULA_IMPORT_WORKERS = 0
    alone = import_jsonl(lines, batch_size=70)
    stored_alone = _stored()
    Article.objects.all().delete()

    settings.PENINSULA_IMPORT_WORKERS = 1
    with_worker = import_jsonl(lines, batch_size=70)

    assert (with_worker.created, with_worker.failed) == (LINES - 2, 2)
    assert with_worker.errors == alone.errors
    assert [e.line for e in with_worker.errors] == [6, 151]
    assert _stored() == stored_alone
    assert len(stored_alone[1]) == LINES - 2  # every article indexed
    assert Tag.objects.count() == len(set(Tag.objects.values_list("name", flat=True)))
    # Every token computed ahead was taken by the index row it was for.
    assert not search_services._remembered
    assert not multiprocessing.active_children()


@pytest.mark.django_db
def test_the_worker_runs_only_while_items_are_prepared(settings, tmp_path):
    settings.PENINSULA_IMPORT_WORKERS = 1
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(sample_lines(LINES, prefix="order")) + "\n", encoding="utf-8")
    options = {"category": None, "draft": False, "excerpt_length": 120}
    prepared = pipeline.prepared_items(jsonl_items(path), options)
    first = next(prepared)
    assert multiprocessing.active_children()
    numbers = [first[0]] + [number for number, _ in prepared]
    assert numbers == list(range(1, LINES + 1))
    assert not multiprocessing.active_children()

    short = list(pipeline.prepared_items(jsonl_items(path.read_text().splitlines()[:5]), options))
    assert [number for number, _ in short] == [1, 2, 3, 4, 5]
    assert all(record.derived and record.tokens for _, record in short)


@pytest.mark.django_db(transaction=True)
def test_an_import_failing_midway_stops_its_worker_and_keeps_whole_batches(settings):
    settings.PENINSULA_IMPORT_WORKERS = 1
    seen = []

    def progress(count):
        seen.append(count)
        if len(seen) == 130:
            raise RuntimeError("the operator's terminal went away")

    with pytest.raises(RuntimeError):
        import_jsonl(list(sample_lines(LINES, prefix="midway")), batch_size=50, progress=progress)
    assert not multiprocessing.active_children()
    # Two batches were committed whole, each article with its derived rows and index row.
    assert Article.objects.count() == 100
    for article in Article.objects.all():
        derived = Article.derived_for(
            title=article.title,
            summary=article.summary,
            byline=article.byline,
            body=article.body,
            excerpt_length=None,
        )
        assert (article.excerpt, article.simhash) == (derived["excerpt"], derived["simhash"])
        assert article.tags.exists()
    assert SearchDocument.objects.count() == 100
    # The next import of the same lines completes them.
    result = import_jsonl(list(sample_lines(LINES, prefix="midway")), batch_size=50)
    assert (result.created, result.updated, result.failed) == (LINES - 100, 100, 0)
    assert SearchDocument.objects.count() == LINES


@pytest.mark.django_db
def test_a_killed_worker_leaves_the_preparing_to_the_importing_process(settings, caplog):
    settings.PENINSULA_IMPORT_WORKERS = 1
    lines = list(sample_lines(LINES, prefix="killed"))
    options = {"category": None, "draft": False, "excerpt_length": 120}
    prepared = pipeline.prepared_items(jsonl_items(lines), options)
    outcomes = [next(prepared)]
    (worker,) = multiprocessing.active_children()
    os.kill(worker.pid, signal.SIGKILL)
    outcomes += list(prepared)
    assert [number for number, _ in outcomes] == list(range(1, LINES + 1))
    settings.PENINSULA_IMPORT_WORKERS = 0
    expected = list(pipeline.prepared_items(jsonl_items(lines), options))
    assert [(n, r.derived, r.tokens) for n, r in outcomes] == [
        (n, r.derived, r.tokens) for n, r in expected
    ]
    assert not multiprocessing.active_children()
    assert "worker process ended" in caplog.text
