"""`make bench`: nginx's static copy of the demo article against the site served by granian.

Everything runs on 127.0.0.1 in a temporary folder: a copy of the project database (after
`peninsula setup_site`, so it holds the demo content), nginx with two workers, `peninsula serve`
(granian + the scheduler) and a bare granian WSGI app as a second reference. wrk loads each
target; the table shows req/s, p50, p99 and the ratio to nginx. Exits non-zero when the view
count did not rise by exactly the number of view requests answered with success.
"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = ROOT / ".venv" / "bin"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
# BENCH_ONLY=front: only the static reference and the article behind deploy/nginx.conf.
ONLY_FRONT = os.environ.get("BENCH_ONLY") == "front"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

children = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd, env=None, log=None):
    proc = subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    children.append(proc)
    return proc


def stop_all():
    for proc in reversed(children):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in children:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"no answer from {url} after {timeout} s")


def fetch(url, method="GET", data=None):
    req = urllib.request.Request(url, method=method, data=data)
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, dict(r.headers), r.read()


def prepare_database(tmp, env):
    """A consistent copy of the project database, brought up to date with the demo content."""
    source = ROOT / "db.sqlite3"
    target = tmp / "db.sqlite3"
    if source.exists():
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    subprocess.run(
        [BIN / "peninsula", "setup_site"],
        env=env,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )
    script = (
        "import json;from peninsula.content.models import Article as A;"
        "a=A.objects.published().select_related('category').latest().first();"
        "print(json.dumps({'id':a.pk,'url':a.get_absolute_url(),"
        "'category':a.category.get_absolute_url(),"
        "'tag':next((f'/tag/{t.slug}/' for t in a.tags.order_by('pk')[:1]),None),"
        "'missing':(A.objects.order_by('-pk').values_list('pk',flat=True).first() or 0)+10**6}))"
    )
    out = subprocess.run(
        [BIN / "peninsula", "shell", "-c", script],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def serve(env, log):
    """`peninsula serve` (granian, `BENCH_WORKERS` workers) on a free port: (process, port)."""
    port = free_port()
    server = start(
        [BIN / "peninsula", "serve", "--port", str(port), "--workers", WORKERS], env=env, log=log
    )
    wait_http(f"http://127.0.0.1:{port}/robots.txt")
    return server, port


def serve_static(tmp, html, log):
    """The reference: nginx serving `html` as the static file /article.html. Returns its port."""
    www = tmp / "www"
    www.mkdir()
    (www / "article.html").write_bytes(html)
    return start_nginx(tmp, "nginx", log, "/article.html", root=www)


def start_nginx(tmp, name, log, probe, **values):
    """nginx with `bench/<name>.conf.template` filled in (its folder, a free port, `values`),
    once it answers `probe`. Returns its port."""
    port = free_port()
    conf = (BENCH / f"{name}.conf.template").read_text()
    (tmp / f"{name}.conf").write_text(conf.format(tmp=tmp, port=port, **values))
    start([NGINX, "-c", str(tmp / f"{name}.conf"), "-p", str(tmp)], log=log)
    wait_http(f"http://127.0.0.1:{port}{probe}")
    return port


def start_front(tmp, upstream, log):
    """nginx with the documented front (deploy/) before the app; answers anonymous page hits
    from its own cache. Returns its port."""
    deploy = ROOT / "deploy"
    app_conf = (deploy / "nginx-app.conf").read_text().replace("/srv/peninsula/var", str(tmp))
    (tmp / "nginx-app.conf").write_text(app_conf)
    cache_conf = (deploy / "nginx-cache.conf").read_text()
    (tmp / "nginx-cache.conf").write_text(
        cache_conf.replace("/var/cache/nginx/peninsula", str(tmp / "nginx-cache"))
    )
    return start_nginx(tmp, "nginx-front", log, "/", upstream=upstream)


def wrk(url, script=None, args=(), connections=CONNECTIONS, threads=THREADS, headers=()):
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{DURATION}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    if args:
        cmd += ["--", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=DURATION + 60).stdout
    return parse_wrk(out)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(out):
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "raw": out}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result[f"p{pct}"] = _ms(*m.groups()) if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"BENCH_VIEWS ok=(\d+) other=(\d+)", out)
    if m:
        result["views_ok"], result["views_other"] = int(m.group(1)), int(m.group(2))
    return result


def descendants(pid):
    """(pid, command line, RSS in MB) of every process below pid, read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = [], [pid]
    while frontier:
        frontier = [p for p, parent in parents.items() if parent in frontier]
        found.extend(frontier)
    rows = []
    for p in found:
        try:
            status = Path(f"/proc/{p}/status").read_text()
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        rows.append((p, cmd, int(rss.group(1)) / 1024 if rss else 0.0))
    return rows


def views_of(base, article_id):
    status, _, body = fetch(f"{base}/api/articles/{article_id}/stats")
    return json.loads(body)["views"] if status == 200 else None


def main():
    for tool in ("wrk", NGINX):
        if not shutil.which(tool) and not Path(tool).exists():
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx-light")
    tmp = Path(tempfile.mkdtemp(prefix="peninsula-bench-"))
    tmp.chmod(0o755)  # nginx's workers run as an unprivileged user
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "PAGECACHE_DIR": str(tmp / "pagecache"),
        "LOG_LEVEL": "ERROR",
    }
    try:
        print(f"== Preparing a copy of the database in {tmp}", flush=True)
        demo = prepare_database(tmp, env)

        log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the temp folder
        server, port = serve(env, log)
        base = f"http://127.0.0.1:{port}"
        _, _, html = fetch(f"{base}{demo['url']}")
        www = tmp / "www"
        nginx_port = serve_static(tmp, html, log)

        front_port = start_front(tmp, port, log)

        trivial_port = None if ONLY_FRONT else free_port()
        if trivial_port:
            start(
                [
                    BIN / "python", "-m", "granian", "--interface", "wsgi",
                    "--host", "127.0.0.1", "--port", str(trivial_port), "--workers", WORKERS,
                    "--no-access-log", "--working-dir", str(BENCH), "trivial_wsgi:application",
                ],
                env={**env, "BENCH_STATIC_FILE": str(www / "article.html")},
                log=log,
            )  # fmt: skip
            wait_http(f"http://127.0.0.1:{trivial_port}/")

        for path in ("/", demo["url"], demo["category"]):
            fetch(f"{base}{path}")  # fill the cache
        print(f"== Demo article {demo['url']} ({len(html)} bytes); wrk {DURATION}s, "
              f"{CONNECTIONS} connections, {THREADS} threads", flush=True)  # fmt: skip

        static_target = (
            "nginx static copy (reference)",
            f"http://127.0.0.1:{nginx_port}/article.html",
        )
        front_target = (
            "article, hit behind deploy/nginx.conf",
            f"http://127.0.0.1:{front_port}{demo['url']}",
        )
        # What a browser asks (Accept-Encoding: gzip): the page as the app gzipped it once.
        browser_target = (
            "same, Accept-Encoding: gzip",
            f"http://127.0.0.1:{front_port}{demo['url']}",
            ("Accept-Encoding: gzip",),
        )
        targets = (
            [static_target, front_target, browser_target]
            if ONLY_FRONT
            else [
                static_target,
                ("granian, trivial WSGI app", f"http://127.0.0.1:{trivial_port}/"),
                ("article, cache hit", f"{base}{demo['url']}"),
                front_target,
                browser_target,
                ("article, cache miss (?nocache=1)", f"{base}{demo['url']}?nocache=1"),
                ("home page, cache hit", f"{base}/"),
                ("category page, cache hit", f"{base}{demo['category']}"),
            ]
        )
        results = []
        for name, url, *headers in targets:
            results.append((name, wrk(url, headers=headers[0] if headers else ())))
            time.sleep(1)

        view_result = None
        if not ONLY_FRONT:  # the view endpoint is the app's, not the front's
            before = views_of(base, demo["id"])
            if before is None:
                print("!! /api/articles/<id>/stats does not answer: the view endpoint is skipped")
            else:
                view_result = wrk(
                    f"{base}/api/articles/{demo['id']}/view",
                    script=BENCH / "view.lua",
                    args=(
                        f"/api/articles/{demo['id']}/view",
                        f"/api/articles/{demo['missing']}/view",
                        str(max(1, DURATION - 2)),
                    ),
                )
                results.append(("view endpoint POST", view_result))

        reference = results[0][1]["rps"]
        print(f"\n{'target':36} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'/nginx':>7}  non-2xx")
        for name, r in results:
            print(
                f"{name:36} {r['rps']:>10.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} "
                f"{r['rps'] / reference:>7.3f}  {r['non2xx']}"
            )

        failed = False
        if view_result is not None:
            expected = before + view_result.get("views_ok", -1)
            deadline, after = time.monotonic() + 20, None
            while time.monotonic() < deadline:  # counts may be flushed in batches
                after = views_of(base, demo["id"])
                if after == expected:
                    break
                time.sleep(1)
            ok = view_result.get("views_ok")
            print(
                f"\nView count: {before} → {after}; rise {after - before}, "
                f"2xx view answers {ok}, others {view_result.get('views_other')}"
            )
            if after != expected:
                print("!! The view count does not match the successful view requests.")
                failed = True
            else:
                print("View count check: exact.")

        print("\nApp processes after the load (RSS):")
        for pid, cmd, rss in descendants(server.pid):
            flag = "  !! over 200 MB" if rss > 200 else ""
            print(f"  {pid:>7} {rss:7.1f} MB  {cmd[:90]}{flag}")
        return 1 if failed else 0
    finally:
        stop_all()
        if os.environ.get("BENCH_KEEP"):
            print(f"Kept {tmp} (server.log holds the servers' output)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    sys.exit(main())
