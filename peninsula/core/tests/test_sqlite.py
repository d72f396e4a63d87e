import pytest
from django.db import connection

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own backend"),
]


@pytest.mark.parametrize(
    ("sql", "params", "row"),
    [
        ("SELECT %s, %s", [1, "a"], (1, "a")),
        ("SELECT '%%s', %s", [2], ("%s", 2)),  # a literal %s stays as written
        ("SELECT '100%%', %s", ["%s"], ("100%", "%s")),
        ("SELECT '%%%%s'", [], ("%%s",)),
    ],
)
def test_placeholders_become_question_marks_and_literals_stay(sql, params, row):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchone() == row


def test_lookups_with_percent_signs_match_what_they_say():
    ArticleFactory(title="增长 50%s 以上")
    ArticleFactory(title="增长 50% 以上")
    assert Article.objects.filter(title__contains="50%s").count() == 1
    assert Article.objects.filter(title__contains="50%").count() == 2
