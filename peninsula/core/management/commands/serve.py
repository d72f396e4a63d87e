import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

# How long granian and the scheduler get to stop after SIGTERM before their process groups are
# killed: granian 2.8 never stops a worker that was still starting when the signal came.
STOP_GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Serve the site with granian (production server) and run the scheduler beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Leave the scheduler to another machine."
        )

    def handle(self, *args, host, port, workers, no_scheduler, **options):
        site = f"http://{host}:{port}/"
        self.stdout.write(
            self.style.SUCCESS(f"{settings.WAGTAIL_SITE_NAME}: {site}")
            + f"\n{_('Admin')}: {site}admin/"
            + f"\n{_('Create an admin account with')}: .venv/bin/peninsula createsuperuser\n"
        )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        children, unstopped, signalled = [], [], []

        def stop(signum=None, frame=None):
            """One SIGTERM to each child, however many signals come: a granian worker
            signalled twice hangs for ever (docs/operations.md)."""
            if signum:
                signalled.append(signum)
            while unstopped:
                unstopped.pop().terminate()

        # Before the first child starts, so that a signal during start-up leaves no orphan.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        commands = [
            [
                sys.executable, "-m", "granian",
                "--interface", "wsgi",
                "--host", host,
                "--port", str(port),
                "--workers", str(workers),
                "--blocking-threads", os.environ.get("THREADS", "4"),
                # A worker that dies (SIGKILL, out of memory) is replaced at once instead of
                # granian shutting down (docs/operations.md).
                "--respawn-failed-workers",
                "--no-access-log",
                "config.wsgi:application",
            ]
        ]  # fmt: skip
        if not no_scheduler:
            commands.append([sys.executable, "-m", "peninsula", "run_scheduler"])
        for command in commands:
            if signalled:
                break
            # A process group of its own, so that a terminal's Ctrl-C reaches only this process.
            child = subprocess.Popen(command, env=env, process_group=0)
            children.append(child)
            unstopped.append(child)
        if signalled:
            stop()  # a child that started while the signal was handled
        granian = children[0] if children else None
        # Until granian ends by itself or a signal comes (`stop` has then told both to stop).
        while granian is not None and granian.poll() is None and not signalled:
            time.sleep(0.2)
        code = granian.returncode if granian is not None and granian.returncode else 0
        stop()  # granian ended by itself: stop the scheduler too
        for child in children:
            try:
                child.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                _kill_group(child)
        # Stopped by a signal: granian and the scheduler were told to stop, which is success.
        sys.exit(0 if signalled else code)


def _kill_group(child):
    """SIGKILL a child's process group (granian and its workers) and wait until it is gone."""
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline:
        try:
            os.killpg(child.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
