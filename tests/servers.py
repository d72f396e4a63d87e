"""Real `peninsula serve` processes on 127.0.0.1 for the scale-out and fault tests.

Each test gets its own database (a SQLite file, or a PostgreSQL database copied from a migrated
template, following the pass's DATABASE_URL), its own Redis key prefix, and servers on free ports
that it always stops. Every wait is bounded.
"""

import contextlib
import http.client
import http.cookiejar
import itertools
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SERVER_SETTINGS = "tests.server_settings"
SECRET_KEY = "scale-out-and-fault-tests-secret-key-0123456789abcdefghijklmnop"
ADMIN_USER, ADMIN_PASSWORD = "chief", "correct-horse-battery-staple"
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
# What article.js sends from an article page: counted as a page view, accepted as same-origin.
BROWSER_POST = {"User-Agent": BROWSER_UA, "Sec-Fetch-Site": "same-origin"}
START_TIMEOUT = 120  # seconds for a server to answer; the machine may be busy with other tests
_counter = itertools.count()


def pass_database_url():
    return os.environ.get("DATABASE_URL", "")


def on_postgres():
    return pass_database_url().startswith(("postgres://", "postgresql://"))


def pass_redis_url():
    return os.environ.get("REDIS_URL", "")


def unique_name(stem):
    return f"{stem}_{os.getpid()}_{next(_counter)}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout, what, interval=0.1):
    """Poll until `predicate()` is truthy (and return it); fail the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up after {timeout} s waiting for {what}")
        time.sleep(interval)


@dataclass
class Response:
    status: int  # 0 when no HTTP answer came (connection refused or reset)
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url, *, method="GET", data=None, headers=None, timeout=30, opener=None):
    """One HTTP exchange; HTTP errors are answers, a refused or cut connection is status 0."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    open_ = (opener or _plain_opener).open
    try:
        with open_(req, timeout=timeout) as r:
            return Response(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
        return Response(0)


_plain_opener = urllib.request.build_opener(_NoRedirect)


def post_view(base, article_id, *, cookie=None):
    headers = dict(BROWSER_POST)
    if cookie:
        headers["Cookie"] = cookie
    return request(
        f"{base}/api/articles/{article_id}/view", method="POST", data=b"", headers=headers
    )


def post_like(base, article_id, *, cookie=None):
    headers = dict(BROWSER_POST)
    if cookie:
        headers["Cookie"] = cookie
    return request(
        f"{base}/api/articles/{article_id}/like", method="POST", data=b"", headers=headers
    )


def read_page(base, path):
    return request(f"{base}{path}", headers={"User-Agent": BROWSER_UA})


def visitor_cookie(visitor_id):
    """A `pv` cookie the servers accept (they share SECRET_KEY with this module)."""
    from django.core import signing

    from peninsula.engagement import visitors

    signer = signing.TimestampSigner(
        key=b"django.http.cookies" + SECRET_KEY.encode(),
        salt=visitors.VISITOR_COOKIE + visitors.VISITOR_SALT,
    )
    return f"{visitors.VISITOR_COOKIE}={signer.sign(visitor_id)}"


# What the tests count ---------------------------------------------------------------------


class Tally:
    """Likes and views sent with known visitor ids, and what each answer was."""

    def __init__(self, base, article_id):
        self.base, self.article_id = base, article_id
        self.liked = set()  # visitors whose like was answered 200
        self.views = 0  # views answered 200

    def like(self):
        visitor = uuid.uuid4().hex
        answer = post_like(self.base, self.article_id, cookie=visitor_cookie(visitor))
        if answer.status == 200:
            self.liked.add(visitor)
        return answer

    def view(self):
        answer = post_view(self.base, self.article_id)
        if answer.status == 200:
            self.views += 1
        return answer


def assert_unavailable(answer, *, json_body):
    assert answer.status == 503, (answer.status, answer.text[:500])
    assert int(answer.header("retry-after")) > 0
    assert answer.header("cache-control") == "no-store"
    if json_body:
        assert answer.json()["status"] == 503
    else:
        assert answer.header("content-type").startswith("text/html")
        assert "503" in answer.text


def assert_counts_kept(database, tally):
    """Every like answered 200 is stored, the counters agree with the rows, no view is lost."""
    stored = database.like_visitors(tally.article_id)
    assert tally.liked <= stored
    row = database.article(tally.article_id)
    assert row["likes"] == len(stored)
    assert database.daily_totals(tally.article_id)[1] == len(stored)

    def views_written():
        return database.article(tally.article_id)["views"] == tally.views

    wait_for(views_written, timeout=30, what="the views answered 200 to reach the database")


# Databases ------------------------------------------------------------------------------------


def _pg_admin():
    import psycopg

    parts = urllib.parse.urlsplit(pass_database_url())
    return psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)


def _pg_url(name):
    parts = urllib.parse.urlsplit(pass_database_url())
    return parts._replace(path=f"/{name}").geturl()


class Database:
    """A database the servers share: a SQLite file or a PostgreSQL database."""

    def __init__(self, *, kind, url, name=None, path=None, seed=None):
        self.kind, self.url, self.name, self.path = kind, url, name, path
        self.seed = seed or {}

    def query(self, sql, params=()):
        """Rows of one statement, read with a connection of its own (never a server's)."""
        if self.kind == "sqlite":
            with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def article(self, article_id):
        row = self.query(
            "SELECT title, body, views, likes, live, has_unpublished_changes, live_revision_id, "
            "latest_revision_id FROM content_article WHERE id = %s",
            (article_id,),
        )[0]
        keys = (
            "title", "body", "views", "likes", "live", "has_unpublished_changes", "revision",
            "latest_revision",
        )  # fmt: skip
        return dict(zip(keys, row, strict=True))

    def revision(self, revision_id):
        """A revision's content: the article's fields as the editor saved them."""
        (content,) = self.query(
            "SELECT content FROM wagtailcore_revision WHERE id = %s", (revision_id,)
        )[0]
        return json.loads(content) if isinstance(content, str) else content

    def like_visitors(self, article_id):
        rows = self.query(
            "SELECT visitor_id FROM engagement_like WHERE article_id = %s", (article_id,)
        )
        return {visitor for (visitor,) in rows}

    def daily_totals(self, article_id):
        views, likes = self.query(
            "SELECT COALESCE(SUM(views), 0), COALESCE(SUM(likes), 0) "
            "FROM engagement_dailystat WHERE article_id = %s",
            (article_id,),
        )[0]
        return int(views), int(likes)

    def copy(self, stem):
        """A new database with this one's content (this one must have no open connections)."""
        if self.kind == "sqlite":
            path = self.path.parent / f"{unique_name(stem)}.sqlite3"
            with (
                contextlib.closing(sqlite3.connect(self.path)) as source,
                contextlib.closing(sqlite3.connect(path)) as target,
            ):
                source.backup(target)
            return Database(kind="sqlite", url=f"sqlite:///{path}", path=path, seed=self.seed)
        name = unique_name(stem)
        with _pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return Database(kind="postgres", url=_pg_url(name), name=name, seed=self.seed)

    def drop(self):
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    # PostgreSQL going away, for one database only (the cluster is shared with other tests).

    def terminate_connections(self):
        """Cut every server connection to this database, as a PostgreSQL restart does."""
        with _pg_admin() as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            ).fetchall()
        return len(rows)

    def allow_connections(self, allowed):
        with _pg_admin() as conn:
            conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS {str(allowed).lower()}')


SEED = (
    f"USER, PASSWORD = {ADMIN_USER!r}, {ADMIN_PASSWORD!r}\n"
    + """
import json
from django.contrib.auth import get_user_model
from peninsula.content.models import Article, Category
category = Category.objects.create(name="要闻", slug="news")
ids = []
for n in range(3):
    article = Article(
        title=f"Scale-out article {n}", body=f"<p>Body of article {n}.</p>", category=category
    )
    article.save()
    article.save_revision().publish()
    ids.append(article.pk)
get_user_model().objects.create_superuser(USER, "chief@example.com", PASSWORD)
print("SEED " + json.dumps({"category": category.pk, "articles": ids}))
"""
)


def server_env(database, *, workdir, redis_url="", prefix=None, **extra):
    """The environment of every process serving one site."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PAGECACHE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SERVER_SETTINGS,
        PYTHONPATH=str(REPO),
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database.url,
        CACHE_KEY_PREFIX=prefix or unique_name("t"),
        PAGECACHE_DIR=str(workdir / "pagecache"),
        MEDIA_ROOT=str(workdir / "media"),
        LIKE_RATE="1000000/m",
        LIKE_LIMIT_PER_ADDRESS="0",  # the tests post from one address; tests of limits set them
        VIEW_LIMIT_PER_ADDRESS="0",
        COUNTER_LIMITS_FILE=str(workdir / "counter-limits.sqlite3"),
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def manage(env, *args, timeout=300):
    """Run a `peninsula` command to its end; its output, or the test fails with it."""
    result = subprocess.run(
        [sys.executable, "-m", "peninsula", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"peninsula {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def make_template(workdir):
    """Migrate one database and load three published articles and a superuser into it."""
    if on_postgres():
        name = unique_name("peninsula_servers_tpl")
        with _pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database = Database(kind="postgres", url=_pg_url(name), name=name)
    else:
        path = workdir / "template.sqlite3"
        database = Database(kind="sqlite", url=f"sqlite:///{path}", path=path)
    env = server_env(database, workdir=workdir)
    manage(env, "migrate", "--no-input", "-v", "0")
    output = manage(env, "shell", "-c", SEED)
    database.seed = json.loads(output.split("SEED ", 1)[1])
    return database


_template = None


@pytest.fixture(scope="session")
def server_template(tmp_path_factory):
    """One migrated database per test session. Two conftest files import this fixture, which
    makes two session fixtures for pytest, so the database is kept here and shared."""
    global _template
    if _template is None:
        _template = make_template(tmp_path_factory.mktemp("servers"))
    yield _template
    _template.drop()  # the second call finds nothing left to drop


@pytest.fixture
def site_database(server_template):
    database = server_template.copy("peninsula_servers")
    yield database
    database.drop()


# Redis ----------------------------------------------------------------------------------------


def redis_client(url):
    import redis

    return redis.Redis.from_url(url, socket_timeout=5)


def redis_forget(url, prefix):
    """Delete the keys one test made under its prefix."""
    client = redis_client(url)
    names = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if names:
        client.delete(*names)
    client.close()


@pytest.fixture
def redis_prefix():
    """A key prefix of the test's own in the pass's Redis, emptied after the test's servers
    stopped (list this fixture before `processes`, whose teardown runs first)."""
    prefix = unique_name("servers")
    yield prefix
    if pass_redis_url():
        redis_forget(pass_redis_url(), prefix)


class RedisServer:
    """A redis-server of the test's own on a free port, with no persistence."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def answers():
            try:
                return redis_client(self.url).ping()
            except Exception:
                assert self.process.poll() is None, "redis-server exited"
                return False

        wait_for(answers, timeout=20, what="redis-server")

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


# Servers --------------------------------------------------------------------------------------


def pids_where(*, parent=None, session=None):
    """Ids of the running processes with that parent or in that session (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == parent or int(fields[3]) == session:
            found.append(int(stat.parent.name))
    return found


class Process:
    """A child process in a session of its own, so that stopping it stops its children."""

    def __init__(self, args, *, env, log_path):
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args, env=env, cwd=REPO, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def alive(self):
        return self.process.poll() is None

    def kill(self, sig=signal.SIGKILL):
        """Signal the process group, as a terminal does. SIGKILL reaches every process of the
        session at once: `peninsula serve` starts granian and the scheduler in groups of their own.
        """
        targets = pids_where(session=self.process.pid) if sig == signal.SIGKILL else []
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        for pid in targets:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def stop(self, timeout=20):
        """SIGTERM, then SIGKILL whatever is left of the group; always closes the log."""
        try:
            if self.alive():
                self.kill(signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=timeout)
            self.kill(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        finally:
            self._log.close()

    def log(self):
        return Path(self.log_path).read_text(errors="replace")


class Server(Process):
    """`peninsula serve --no-scheduler` on a free port of 127.0.0.1."""

    def __init__(self, env, *, workdir, workers=2, port=None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [
            sys.executable, "-m", "peninsula", "serve", "--no-scheduler",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
        ]  # fmt: skip
        super().__init__(args, env=env, log_path=workdir / f"server-{self.port}.log")

    def wait_ready(self, timeout=START_TIMEOUT):
        def ready():
            assert self.alive(), f"The server exited:\n{self.log()}"
            return read_page(self.base, "/robots.txt").status == 200

        wait_for(ready, timeout=timeout, what=f"the server on port {self.port}", interval=0.25)
        return self


class Scheduler(Process):
    def __init__(self, env, *, workdir):
        args = [sys.executable, "-m", "peninsula", "run_scheduler", "--tick", "0.2"]
        super().__init__(args, env=env, log_path=workdir / f"scheduler-{next(_counter)}.log")


@pytest.fixture
def processes():
    """Start servers and schedulers through this; each is stopped when the test ends."""
    started = []

    class Starter:
        def server(self, env, *, workdir, workers=2, port=None):
            server = Server(env, workdir=workdir, workers=workers, port=port)
            started.append(server)
            return server

        def scheduler(self, env, *, workdir):
            scheduler = Scheduler(env, workdir=workdir)
            started.append(scheduler)
            return scheduler

    yield Starter()
    for process in reversed(started):
        process.stop()


# The admin, through HTTP --------------------------------------------------------------------


class AdminClient:
    """A signed-in editor on one server: a cookie jar and the CSRF token, as a browser has."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def _csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path):
        return request(self.base + path, headers={"User-Agent": BROWSER_UA}, opener=self.opener)

    def post(self, path, data, *, timeout=60):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}).encode()
        headers = {
            "User-Agent": BROWSER_UA,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self._csrf(),
        }
        return request(
            self.base + path,
            method="POST",
            data=body,
            headers=headers,
            opener=self.opener,
            timeout=timeout,
        )

    def login(self, username=ADMIN_USER, password=ADMIN_PASSWORD):
        assert self.get("/admin/login/").status == 200
        answer = self.post("/admin/login/", {"username": username, "password": password})
        assert answer.status == 302, answer.text[:2000]
        return self

    def publish(self, article_id, category_id, **fields):
        """POST the article's edit form with the Publish button; returns the answer."""
        from types import SimpleNamespace

        from django.urls import reverse

        from peninsula.content.tests.admin_helpers import article_post

        data = article_post(SimpleNamespace(pk=category_id), action="publish", **fields)
        path = reverse("wagtailsnippets_content_article:edit", args=[article_id])
        return self.post(path, data)
