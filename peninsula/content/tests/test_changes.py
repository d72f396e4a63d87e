import threading

import pytest
from django.db import connection, transaction

from peninsula.content.changes import articles_changed, articles_touch, remember_before
from peninsula.content.models import Article

from .factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    received = []

    def receiver(sender, ids, before, **kwargs):
        received.append((ids, before))

    articles_changed.connect(receiver, sender=Article)
    yield received
    articles_changed.disconnect(receiver, sender=Article)


def new_article(category, title="Talks"):
    article = Article(title=title, category=category, live=True)
    article.save()
    return article


def test_every_write_of_one_transaction_makes_one_event_on_commit(
    events, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first, second = new_article(category), new_article(category)
        first.title = "Talks resume"
        first.save()
        second_pk = second.pk
        second.delete()
        assert events == []
    assert [ids for ids, _ in events] == [sorted([first.pk, second_pk])]


def test_draft_only_saves_change_nothing_readers_see(events, django_capture_on_commit_callbacks):
    article = new_article(CategoryFactory())
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision()
    assert events == []


def test_a_rolled_back_transaction_sends_nothing(events, django_capture_on_commit_callbacks):
    category = CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            articles_touch([999])
            raise RuntimeError
        kept = new_article(category)
    assert [ids for ids, _ in events] == [[kept.pk]]


def test_the_state_before_the_first_write_is_kept(events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        remember_before("test", 7, lambda: "first")
        remember_before("test", 7, lambda: "second")
        articles_touch([7])
    assert events == [([7], {"test": {7: "first"}})]


@pytest.mark.django_db(transaction=True)
def test_each_thread_gathers_its_own_transaction(events):
    """A request's open transaction and another thread's writes meanwhile make separate events."""
    opened, remembered = threading.Event(), threading.Event()

    def request():
        try:
            with transaction.atomic():
                remember_before("test", 1, lambda: "request")
                articles_touch([1])
                opened.set()
                remembered.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=request)
    thread.start()
    assert opened.wait(timeout=30)
    remember_before("test", 2, lambda: "other")
    remembered.set()
    thread.join(timeout=30)
    articles_touch([2])
    assert events == [([1], {"test": {1: "request"}}), ([2], {"test": {2: "other"}})]


def test_a_failing_listener_is_logged_and_the_others_still_run(
    events, caplog, django_capture_on_commit_callbacks
):
    def broken(sender, **kwargs):
        raise RuntimeError("index down")

    articles_changed.connect(broken, sender=Article)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            articles_touch([5])
    finally:
        articles_changed.disconnect(broken, sender=Article)
    assert [ids for ids, _ in events] == [[5]]
    assert "index down" in caplog.text
