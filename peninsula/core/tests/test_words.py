"""One segmentation per text: the memo gives the same words as segmenting afresh."""

import threading

import rjieba

from peninsula.core import words

TEXTS = [
    "美国与朝鲜举行峰会，双方就无核化谈判交换了意见。",
    "Ｋｉｍ２０２４ met U.S. officials in Seoul.",
    "",
    "   ",
    "a\x00b 含有分隔符的文字",  # the memo's separator inside a text: segmented directly
    "长文" * (words.MEMO_MAX_CHARS // 2 + 1),  # longer than the memo keeps
]


def test_the_memo_gives_the_words_of_a_fresh_segmentation():
    for text in TEXTS:
        fresh = rjieba.cut(words.prepare(text)) if text else []
        assert words.cut(text) == fresh
        assert words.cut(text) == fresh  # the second time from the memo
        assert "".join(words.cut(text)) == words.prepare(text)


def test_threads_segmenting_at_once_each_get_their_own_texts_words():
    texts = [f"第{n}篇报道：韩国和朝鲜代表在板门店举行第{n}轮会谈。" for n in range(300)]
    expected = [rjieba.cut(words.prepare(text)) for text in texts]
    failures = []

    def read(order):
        for i in order:
            if words.cut(texts[i]) != expected[i]:
                failures.append(i)

    threads = [
        threading.Thread(target=read, args=(range(300),)),
        threading.Thread(target=read, args=(range(299, -1, -1),)),
        threading.Thread(target=read, args=(range(0, 300, 7),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
