import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from peninsula.collection import fetching
from peninsula.content.tests.factories import CategoryFactory


class FixtureSite:
    """A throwaway HTTP server on 127.0.0.1 answering routes the test sets up.

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
                    self._answer()
                finally:
                    with site._lock:
                        site.in_flight -= 1

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

    def serve(self, path, body, content_type="application/rss+xml", status=200, **headers):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, body)
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


@pytest.fixture(autouse=True)
def fresh_robots():
    """Each test reads robots.txt anew (the collector keeps it an hour)."""
    fetching._robots.clear()
    cache.clear()
    yield
    fetching._robots.clear()


@pytest.fixture
def site():
    server = FixtureSite()
    yield server
    server.stop()


@pytest.fixture
def other_site():
    """A second server: another host as far as per-host limits and redirects go."""
    server = FixtureSite()
    yield server
    server.stop()


@pytest.fixture
def category(db):
    return CategoryFactory(name="国际", slug="world")


def rss(*items, title="韩联社中文网", link="https://cn.yna.example/"):
    """An RSS 2.0 feed of (guid, title, body, link) items."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{head}</title><link>{url}</link>"
        f"<description><![CDATA[{body}]]></description>"
        f"<pubDate>Sun, 22 Sep 2024 01:36:59 +0900</pubDate></item>"
        for guid, head, body, url in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>{link}</link>{entries}</channel></rss>"
    )


STORY = (
    "<p>据韩联社报道，韩国和朝鲜代表周五在板门店举行会谈，双方就恢复离散家属团聚活动、"
    "重启开城工业园区以及缓和军事紧张局势等议题交换了意见。</p>"
    "<p>韩国统一部发言人表示，会谈在建设性的气氛中进行，双方同意下月再次举行工作层面的"
    "磋商，以落实领导人会晤时达成的共识。分析人士认为，这是半岛局势缓和的积极信号。</p>"
)
STORY_EDITED = STORY.replace("据韩联社报道，", "新华社首尔电，").replace(
    "分析人士认为", "有专家指出"
)
OTHER_STORY = (
    "<p>国家统计局今天发布数据显示，前八个月全国规模以上工业增加值同比增长百分之五点八，"
    "其中高技术制造业增长较快，装备制造业对工业增长的贡献率继续提高。</p>"
    "<p>统计局新闻发言人表示，国民经济延续恢复向好态势，但外部环境依然复杂严峻，"
    "国内需求仍显不足，经济回升基础还需进一步巩固。</p>"
)
