import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


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
        code = children[0].wait() if children else 0
        stop()  # granian ended by itself: stop the scheduler too
        for child in children:
            child.wait()
        # Stopped by a signal: granian and the scheduler were told to stop, which is success.
        sys.exit(0 if signalled else code)
