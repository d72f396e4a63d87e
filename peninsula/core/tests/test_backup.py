import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory

PROJECT = Path(__file__).resolve().parents[3]


def _png():
    from io import BytesIO

    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def site_with_image(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    if not Collection.objects.exists():  # a transactional test flushes the migration's root
        Collection.add_root(name="Root")
    image = Image.objects.create(title="cover", file=ContentFile(_png(), name="cover.png"))
    articles = [ArticleFactory(cover_image=image) for _ in range(3)]
    Article.objects.filter(pk=articles[0].pk).update(views=7, likes=2)
    return articles, image


def _restore_env(target):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["MEDIA_ROOT"] = str(target / "media")
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{target / 'db.sqlite3'}"
    else:
        name = "peninsula_restore_check"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            cursor.execute(f"CREATE DATABASE {name}")
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{name}"
    return env


def _restored_rows(env, sql):
    if connection.vendor == "sqlite":
        path = env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(path) as db:
            return db.execute(sql).fetchall()
    out = subprocess.run(
        ["psql", env["DATABASE_URL"], "-At", "-F", ",", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [tuple(int(x) for x in line.split(",")) for line in out.splitlines()]


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_directory(site_with_image, tmp_path):
    articles, image = site_with_image
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    target = tmp_path / "restored"
    env = _restore_env(target)
    result = subprocess.run(
        [sys.executable, "-m", "peninsula", "restore", str(archive)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

    rows = _restored_rows(env, "SELECT id, views, likes FROM content_article ORDER BY id")
    assert rows == [
        (a.pk, 7 if a == articles[0] else 0, 2 if a == articles[0] else 0) for a in articles
    ]
    assert (target / "media" / image.file.name).read_bytes() == _png()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_to_overwrite_a_site_with_articles(site_with_image, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    assert Article.objects.count() == 3


def test_restore_rejects_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_text("not an archive")
    with pytest.raises(CommandError, match="not a Peninsula backup"):
        call_command("restore", str(bogus))
