"""敏感词过滤: normalisation (full-width, traditional, case, padding), masks at the right offsets,
the most severe action winning, long lists, and lists changed in another process."""

import os
import random
import subprocess
import sys
import textwrap

import pytest

from peninsula.screening.models import SensitiveWord
from peninsula.screening.normalize import fold
from peninsula.screening.services import text_screen, words_import

pytestmark = pytest.mark.django_db


def test_a_text_without_listed_words_is_allowed(words):
    words({"傻逼": "block"})
    result = text_screen(text="今天天气很好。")
    assert (result.action, result.text, result.matches) == ("allow", "今天天气很好。", ())


def test_no_lists_allow_everything():
    assert text_screen(text="傻逼").action == "allow"


@pytest.mark.parametrize(
    "text",
    [
        "你是傻逼",
        "你是傻 逼",
        "你是傻*逼",
        "你是傻　逼",  # ideographic space
        "你是傻\u200b逼",  # zero-width space
        "你是傻.-.逼",
        "你是傻\n逼",
        "你是傻̶逼",  # a combining mark between
        "你是傻逼！",
    ],
)
def test_padding_between_characters_does_not_hide_a_word(words, text):
    words({"傻逼": "block"})
    result = text_screen(text=text)
    assert result.action == "block"
    assert result.words == ["傻逼"]


@pytest.mark.parametrize(
    ("listed", "text"),
    [
        ("法轮功", "法輪功"),  # traditional text, simplified list
        ("法輪功", "法轮功"),  # traditional list, simplified text
        ("发票", "發票"),
        ("sb", "ＳＢ"),  # full-width
        ("sb", "S B"),
        ("viagra", "VIAGRA"),
        ("viagra", "Ｖｉａｇｒａ"),
        ("viagra", "v.i.a.g.r.a"),
        ("加微信", "加 微 信"),
        ("12345", "１２３４５"),
    ],
)
def test_folding(words, listed, text):
    words({listed: "hold"})
    assert text_screen(text=f"看这里{text}。").words == [listed]


def test_latin_words_match_whole_words_only(words):
    words({"ass": "mask"})
    assert text_screen(text="a class of glass").action == "allow"
    assert text_screen(text="you ass!").text == "you ＊＊＊!"
    assert text_screen(text="汉字ass汉字").text == "汉字＊＊＊汉字"


def test_mask_covers_the_original_span_with_padding(words):
    words({"傻逼": "mask", "广告": "mask"})
    text = "前面 傻*逼 中间 廣　告 后面"
    result = text_screen(text=text)
    assert result.action == "mask"
    assert result.text == "前面 ＊＊＊ 中间 ＊　＊ 后面"  # spaces inside stay, their characters go
    assert [(m.start, m.end) for m in result.matches] == [(3, 6), (10, 13)]
    assert [text[m.start : m.end] for m in result.matches] == ["傻*逼", "廣　告"]
    assert len(result.text) == len(text)


def test_mask_offsets_with_characters_that_fold_to_several(words):
    words({"kg": "mask"})
    text = "重 ㎏ 与 ＫＧ"  # ㎏ folds to "kg": one character of the text
    result = text_screen(text=text)
    assert result.text == "重 ＊ 与 ＊＊"


def test_the_most_severe_action_decides_and_held_words_stay_readable(words):
    words({"广告": "mask", "加微信": "hold"})
    result = text_screen(text="广告：加微信")
    assert result.action == "hold"
    assert result.held and not result.blocked
    assert result.text == "＊＊：加微信"
    words({"赌博": "block"})
    assert text_screen(text="广告 赌博 加微信").blocked


def test_overlapping_words_are_all_found(words):
    words({"习近": "hold", "近平": "mask"})
    result = text_screen(text="习近平")
    assert result.words == ["习近", "近平"]
    assert result.action == "hold"
    assert result.text == "习＊＊"


def test_lists_change_at_once_in_this_process(words):
    assert text_screen(text="你好坏蛋").action == "allow"
    words({"坏蛋": "block"})
    assert text_screen(text="你好坏蛋").action == "block"
    SensitiveWord.objects.filter(word="坏蛋").update(action="mask")  # no signal: bulk
    SensitiveWord.objects.get(word="坏蛋").save()
    assert text_screen(text="你好坏蛋").text == "你好＊＊"
    SensitiveWord.objects.get(word="坏蛋").delete()
    assert text_screen(text="你好坏蛋").action == "allow"


def random_words(count, seed=15):
    rng = random.Random(seed)
    chars = [chr(code) for code in range(0x4E00, 0x9FA5)]
    found = set()
    while len(found) < count:
        found.add("".join(rng.choice(chars) for _ in range(rng.randint(2, 5))))
    return sorted(found)


def test_a_ten_thousand_word_list(words):
    listed = random_words(10_000)
    added, updated = words_import(words=listed, action="mask")
    assert (added, updated) == (10_000, 0)
    sample = listed[::997]
    text = "，".join(f"正常内容{word}" for word in sample)
    result = text_screen(text=text)
    assert set(result.words) == set(sample)
    assert result.text.count("＊") == sum(len(word) for word in sample)
    assert words_import(words=listed[:10], action="block", replace=True) == (0, 10)
    assert text_screen(text=listed[0]).action == "block"


def test_folding_keeps_places():
    folded, places = fold("Ａ b，傳")
    assert folded == "ab传"
    assert places == [0, 2, 4]


def test_other_processes_rebuild_after_a_change(transactional_db):
    """A second process screens, this one changes the lists, the second sees it within the
    refresh time without restarting."""
    from django.db import connection

    script = textwrap.dedent(
        """
        import sys, time, django
        django.setup()
        from peninsula.screening import services
        services._state.timeout = 0.2  # the version is read again every 0.2 s, not 5 s
        print(services.text_screen(text="外部新词").action, flush=True)
        sys.stdin.readline()
        deadline = time.time() + 10
        while time.time() < deadline:
            action = services.text_screen(text="外部新词").action
            if action != "allow":
                break
            time.sleep(0.1)
        print(action, flush=True)
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peninsula.screening.tests.child_settings",
        "CHILD_DATABASE_NAME": str(connection.settings_dict["NAME"]),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout.readline().strip() == "allow"
        SensitiveWord.objects.create(word="外部新词", action="hold")
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "hold"
    finally:
        child.kill()
        child.wait()
