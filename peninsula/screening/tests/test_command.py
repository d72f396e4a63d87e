"""`peninsula screening_words`: an operator loads a long list from a file and tries a text."""

import io

import pytest
from django.core.management import CommandError, call_command

from peninsula.screening.models import SensitiveWord

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("screening_words", *args, stdout=out)
    return out.getvalue()


def test_import_then_test(tmp_path):
    listing = tmp_path / "words.txt"
    listing.write_text("\ufeff# 广告词\n代开发票\n加微信\n\n代开发票\n", encoding="utf-8")
    assert run("import", str(listing), "--action", "mask", "--list", "广告").startswith(
        "2 words added, 0 changed"
    )
    assert SensitiveWord.objects.filter(list_name="广告", action="mask").count() == 2
    assert run("import", str(listing), "--action", "block", "--replace").startswith(
        "0 words added, 2 changed"
    )
    answer = run("test", "请加 微 信，代開發票")
    assert answer.startswith("block: 请加 微 信，代開發票")
    assert "加微信 (block) at 1–6" in answer


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    listing = tmp_path / "gbk.txt"
    listing.write_bytes("代开发票".encode("gbk"))
    with pytest.raises(CommandError, match="Cannot read"):
        run("import", str(listing))
    assert not SensitiveWord.objects.exists()
