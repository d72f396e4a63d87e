import json

import pytest
from django.db import connection

from peninsula.content.models import ArticleTag


def line(**fields):
    """One JSON Lines record: a valid published article unless fields say otherwise."""
    record = {
        "title": "Talks resume",
        "body": "<p>By Kim Bo-eun</p><p>Denuclearization talks may gain impetus.</p>",
        "category": "国际/亚太",
        "published_at": "2024-09-22T01:36:59+08:00",
    }
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)


@pytest.fixture
def jsonl_file(tmp_path):
    """Write lines to a .jsonl file and return its path."""

    def write(*lines, name="articles.jsonl"):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def refuse_tag_named_boom(db):
    """A real database failure in the middle of an article's write: linking the tag "boom"."""
    table = ArticleTag._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse_boom BEFORE INSERT ON {table} "
                f"WHEN (SELECT name FROM taggit_tag WHERE id = NEW.tag_id) = 'boom' "
                f"BEGIN SELECT RAISE(ABORT, 'the tag boom is refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN "
                "IF (SELECT name FROM taggit_tag WHERE id = NEW.tag_id) = 'boom' THEN "
                "RAISE EXCEPTION 'the tag boom is refused'; END IF; RETURN NEW; END "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_boom BEFORE INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION refuse_boom()"
            )
