"""The nginx configuration in deploy/ runs with Debian's nginx in front of a live Peninsula."""

import gzip
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from peninsula.content.services import article_unpublish
from peninsula.content.tests.factories import ArticleFactory

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path):
    if not os.path.exists(NGINX):
        pytest.fail("The nginx tests need Debian's nginx: apt-get install nginx-light")
    var = tmp_path / "var"
    (var / "static" / "css").mkdir(parents=True)
    (var / "static" / "css" / "probe.css").write_text("body{color:teal}")
    (var / "media").mkdir()
    (var / "media" / "photo.txt").write_text("media file")
    app_conf = (DEPLOY / "nginx-app.conf").read_text().replace("/srv/peninsula/var", str(var))
    (tmp_path / "nginx-app.conf").write_text(app_conf)
    cache_conf = (DEPLOY / "nginx-cache.conf").read_text()
    cache_conf = cache_conf.replace("/var/cache/nginx/peninsula", str(tmp_path / "cache"))
    (tmp_path / "nginx-cache.conf").write_text(cache_conf)
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    include {tmp_path}/nginx-cache.conf;
    upstream peninsula {{ server {upstream}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {tmp_path}/nginx-app.conf;
    }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _get(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_static_and_media_and_proxies_the_app(nginx):
    status, headers, body = _get(f"{nginx}/static/css/probe.css")
    assert (status, body) == (200, b"body{color:teal}")
    assert "immutable" in headers["Cache-Control"]
    assert _get(f"{nginx}/media/photo.txt")[2] == b"media file"

    status, headers, _ = _get(f"{nginx}/this-page-does-not-exist/")
    assert status == 404
    assert "text/html" in headers["Content-Type"]  # answered by Peninsula, not by nginx


@pytest.mark.django_db(transaction=True)
def test_nginx_refuses_oversized_bodies(nginx):
    status, _, _ = _get(f"{nginx}/search/", data=b"x" * (21 * 1024 * 1024))
    assert status == 413


def _until_hit(url, headers=None):
    """GET until nginx answers from its cache (a miss at a second's turn is expected)."""
    for _ in range(5):
        status, response_headers, body = _get(url, headers=headers)
        if response_headers.get("X-Proxy-Cache") == "HIT":
            return status, response_headers, body
    return status, response_headers, body


@pytest.mark.django_db(transaction=True)
def test_nginx_answers_anonymous_page_hits_itself(nginx):
    article = ArticleFactory(title="门前的缓存")
    url = f"{nginx}{article.get_absolute_url()}"
    status, headers, body = _until_hit(url)
    assert (status, headers["X-Proxy-Cache"]) == (200, "HIT")
    assert "门前的缓存" in body.decode()
    assert "X-Accel-Expires" not in headers  # nginx keeps its instruction to itself
    assert headers["Cache-Control"].startswith("public")  # the app's headers are kept
    assert headers["Content-Security-Policy"]

    # Signed-in readers and editors always reach the app.
    _, headers, _ = _get(url, headers={"Cookie": "sessionid=abc"})
    assert headers["X-Proxy-Cache"] == "BYPASS"
    # Another language is another entry: never the Chinese page for an English reader.
    _, headers, english = _until_hit(url, headers={"Cookie": "django_language=en"})
    assert headers["Content-Language"] == "en"
    assert english != body
    # Counters come from the JSON endpoint, which nginx never keeps.
    stats = f"{nginx}/api/articles/{article.pk}/stats"
    assert {_get(stats)[1].get("X-Proxy-Cache") for _ in range(3)} == {"MISS"}


@pytest.mark.django_db(transaction=True)
def test_nginx_keeps_the_gzipped_page_and_never_compresses_a_hit(nginx):
    """A browser's page comes gzipped as the app stored it: nginx keeps that form under its
    own key and sends it as kept; a reader who takes no gzip has the page as rendered."""
    article = ArticleFactory(title="压缩一次")
    url = f"{nginx}{article.get_absolute_url()}"
    browser = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    _, headers, packed = _until_hit(url, headers=browser)
    assert (headers["X-Proxy-Cache"], headers["Content-Encoding"]) == ("HIT", "gzip")
    assert "Accept-Encoding" in headers["Vary"]
    page = gzip.decompress(packed)  # one layer: nginx did not compress it again
    assert "压缩一次" in page.decode()
    _, headers, plain = _until_hit(url)
    assert (headers["X-Proxy-Cache"], headers.get("Content-Encoding")) == ("HIT", None)
    assert plain == page
    _, headers, refused = _until_hit(url, headers={"Accept-Encoding": "gzip;q=0, br"})
    assert (headers["X-Proxy-Cache"], headers.get("Content-Encoding")) == ("HIT", None)
    assert refused == page


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_an_edit_within_a_second(nginx):
    """Hits keep their cache file open (open_file_cache): a newer answer, written to another
    file, is what the next hits serve."""
    article = ArticleFactory(title="初版标题")
    url = f"{nginx}{article.get_absolute_url()}"
    assert "初版标题" in _until_hit(url)[2].decode()
    article.title = "修订标题"
    article.save_revision().publish()
    edited = time.monotonic()
    while "修订标题" not in _get(url)[2].decode():
        assert time.monotonic() - edited < 1.0, "nginx still serves the old page"
        time.sleep(0.01)
    for _ in range(3):  # hits, from the new cache file
        _, headers, body = _until_hit(url)
        assert (headers["X-Proxy-Cache"], "修订标题" in body.decode()) == ("HIT", True)


@pytest.mark.django_db(transaction=True)
def test_nginx_forgets_an_unpublished_article_within_a_second(nginx):
    article = ArticleFactory(title="即将撤下")
    url = f"{nginx}{article.get_absolute_url()}"
    assert _until_hit(url)[1]["X-Proxy-Cache"] == "HIT"
    article_unpublish(article=article)
    unpublished = time.monotonic()
    while _get(url)[0] == 200:
        assert time.monotonic() - unpublished < 1.0, "nginx still serves the unpublished article"
        time.sleep(0.01)
