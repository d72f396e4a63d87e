"""Online backups: a consistent copy of the database plus the media files, in one tar archive.

SQLite is copied with its backup API (consistent while the site keeps writing); PostgreSQL with
`pg_dump --format=custom`. Restore refuses to overwrite a database that already holds data unless
told to, so that a mistyped command cannot destroy a live site.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _pg_env(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db):
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _run(command, db):
    try:
        subprocess.run(command, env=_pg_env(db), check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed: {exc}") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc


def backup_create(*, destination):
    """Write the database and the media files into the tar archive `destination`."""
    destination = Path(destination)
    db = connection.settings_dict
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if vendor == "sqlite":
            dump = tmp / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        elif vendor == "postgresql":
            dump = tmp / "database.pgdump"
            _run(["pg_dump", "-Fc", "--no-owner", "--file", str(dump), *_pg_args(db)], db)
        else:
            raise BackupError(f"Backups of {vendor} databases are not supported.")
        manifest = {
            "format": FORMAT_VERSION,
            "database": vendor,
            "created_at": datetime.now(UTC).isoformat(),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(tmp / "manifest.json", arcname="manifest.json")
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.replace(destination)
    return manifest


def backup_restore(*, source, force=False):
    """Bring back a database and media files written by `backup_create`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup archive at {source}.")
    db = connection.settings_dict
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(tmp, filter="data")
            manifest = json.loads((tmp / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(f"{source} is not a Peninsula backup: {exc}") from exc
        if manifest.get("database") != connection.vendor:
            raise BackupError(
                f"The backup holds a {manifest.get('database')} database; "
                f"this site runs on {connection.vendor}."
            )
        if not force and _has_data():
            raise BackupError("The database already holds articles; pass --force to replace it.")
        if connection.vendor == "sqlite":
            connection.close()
            target = Path(db["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(tmp / "database.sqlite3", target)
        else:
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", *_pg_args(db),
                 str(tmp / "database.pgdump")],
                db,
            )  # fmt: skip
        if (tmp / "media").is_dir():
            shutil.copytree(tmp / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest


def _has_data():
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM content_article LIMIT 1")
            return cursor.fetchone() is not None
    except DatabaseError:
        return False
