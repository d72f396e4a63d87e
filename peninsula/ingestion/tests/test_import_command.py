import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from peninsula.content.models import Article

from .conftest import line


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_prints_a_summary(jsonl_file):
    out, err = run_import(str(jsonl_file(line(external_id="a"), line(external_id="b"))))
    assert "2 created, 0 updated, 0 failed" in out
    assert err == ""
    out, _ = run_import(str(jsonl_file(line(external_id="a"))))
    assert "0 created, 1 updated, 0 failed" in out
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_bad_lines_are_listed_and_the_command_fails(jsonl_file):
    path = jsonl_file(line(), '{"title": 1}', line(status="live"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 created, 0 updated, 2 failed") as raised:
        call_command("import", str(path), "--no-progress", stderr=err)
    assert raised.value.returncode == 1
    assert f"{path}: line 2: title must be a string" in err.getvalue()
    assert f"{path}: line 3: status must be draft or published" in err.getvalue()
    assert Article.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("value", ['"just a string"', "[1, 2]", "7"])
def test_a_line_holding_no_object_fails_alone_whatever_the_options(jsonl_file, value):
    path = jsonl_file(*[line() for _ in range(3)], value, line(category=None))
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 created, 0 updated, 1 failed"):
        call_command(
            "import",
            str(path),
            "--category",
            "国际",
            "--draft",
            "--batch-size",
            "2",
            "--no-progress",
            stderr=err,
        )
    assert f"{path}: line 4: a line must hold a JSON object, not " in err.getvalue()
    assert Article.objects.count() == 4


@pytest.mark.django_db
def test_a_missing_category_says_how_to_give_one(jsonl_file):
    path, err = jsonl_file(line(category=None)), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--no-progress", stderr=err)
    assert "line 1: category is required (--category sets one for items without it)" in (
        err.getvalue()
    )


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_the_progress_bar_goes_to_stderr_on_a_terminal(jsonl_file, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    call_command("import", str(jsonl_file(line(), line(), line())), stdout=io.StringIO())
    assert "Importing" in terminal.getvalue()
    assert "3/3" in terminal.getvalue()


@pytest.mark.django_db
def test_no_progress_bar_when_asked(jsonl_file, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    call_command("import", str(jsonl_file(line())), "--no-progress", stdout=io.StringIO())
    assert terminal.getvalue() == ""


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing.jsonl", "missing.jsonl: no such file"),
        (".", "is a directory"),
        ("notes.csv", "notes.csv: not JSON Lines, a WordPress export"),
    ],
)
def test_unusable_files_give_a_clear_error(tmp_path, target, message):
    (tmp_path / "notes.csv").write_text("a,b\n")
    with pytest.raises(CommandError, match=message):
        call_command("import", str(tmp_path / target))


def test_a_missing_file_exits_non_zero_without_a_traceback(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "peninsula", "import", str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert "no such file" in completed.stderr
    assert "Traceback" not in completed.stderr
