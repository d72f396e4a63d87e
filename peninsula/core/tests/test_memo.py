import threading

from peninsula.core.memo import Memo, memos_clear


def test_memo_loads_once_until_timeout():
    loads = []
    memo = Memo(timeout=60)
    assert memo.get("k", lambda: loads.append(1) or "v") == "v"
    assert memo.get("k", lambda: loads.append(1) or "w") == "v"
    assert loads == [1]


def test_memo_expires(monkeypatch):
    memo = Memo(timeout=0)
    assert memo.get("k", lambda: 1) == 1
    assert memo.get("k", lambda: 2) == 2


def test_memo_is_bounded():
    memo = Memo(timeout=60, max_entries=100)
    for i in range(10_000):
        memo.get(i, lambda i=i: i)
    assert len(memo) == 100
    assert memo.is_fresh(9_999) and not memo.is_fresh(0)


def test_a_load_that_began_before_a_clear_is_not_kept():
    memo = Memo(timeout=60)
    started, release = threading.Event(), threading.Event()

    def slow_load():
        started.set()
        release.wait(5)
        return "stale"

    thread = threading.Thread(target=memo.get, args=("k", slow_load))
    thread.start()
    started.wait(5)
    memos_clear()
    release.set()
    thread.join(5)
    assert memo.get("k", lambda: "fresh") == "fresh"


def test_forget_drops_one_key():
    memo = Memo(timeout=60, max_entries=10)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.forget("a")
    assert not memo.is_fresh("a") and memo.is_fresh("b")
