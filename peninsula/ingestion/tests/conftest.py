import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection
from PIL import Image as PILImage

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


DATA = Path(__file__).parent / "data"


def png_bytes(color="navy"):
    """A small real PNG, as a newsroom's upload would be."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), color).save(buffer, format="PNG")
    return buffer.getvalue()


class LoopbackSite:
    """Routes of a throwaway HTTP server on 127.0.0.1: path → (status, headers, body)."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append(self.path)
                status, headers, body = site.routes.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"not found")
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path, body, content_type="text/html", status=200):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = (status, {"Content-Type": content_type}, body)
        return self.base + path

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def site():
    """A loopback HTTP server for the test, always stopped after it."""
    server = LoopbackSite()
    yield server
    server.stop()
