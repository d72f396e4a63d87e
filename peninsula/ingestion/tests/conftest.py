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
    """A throwaway HTTP server on 127.0.0.1 answering routes the test sets up: path →
    (status, headers, body).

    It honours If-None-Match / If-Modified-Since with 304, can redirect, fail or hold a request
    until released, and counts the requests in flight at once.
    """

    def __init__(self):
        self.routes = {}
        self.requests = []  # (path, request headers)
        self.in_flight = self.most_in_flight = 0
        self.hold = None  # an Event requests to held paths wait for
        self.held_paths = set()
        self.arrived = threading.Event()  # set when a request to a held path comes
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with site._lock:
                    site.requests.append((self.path, dict(self.headers)))
                    site.in_flight += 1
                    site.most_in_flight = max(site.most_in_flight, site.in_flight)
                try:
                    if self.path in site.held_paths:
                        site.arrived.set()
                        site.hold.wait(timeout=30)
                finally:
                    # Counted out before the answer goes: a client's next request can then
                    # never find this one still counted.
                    with site._lock:
                        site.in_flight -= 1
                self._answer()

            def _answer(self):
                status, headers, body = site.routes.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"not found")
                )
                etag, modified = headers.get("ETag"), headers.get("Last-Modified")
                if status == 200 and (
                    (etag and self.headers.get("If-None-Match") == etag)
                    or (modified and self.headers.get("If-Modified-Since") == modified)
                ):
                    status, body = 304, b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    default_type = "text/html"

    def serve(self, path, body, content_type=None, status=200, **headers):
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {"Content-Type": content_type or self.default_type, **headers}
        self.routes[path] = (status, headers, body)
        return self.base + path

    def redirect(self, path, location, status=302):
        self.routes[path] = (status, {"Location": location}, b"")
        return self.base + path

    def paths(self):
        return [path for path, _ in self.requests]

    def stop(self):
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def site():
    """A loopback HTTP server for the test, always stopped after it."""
    server = LoopbackSite()
    yield server
    server.stop()
