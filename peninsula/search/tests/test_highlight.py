from peninsula.search.analysis import normalise_word
from peninsula.search.highlight import highlight, snippet


def test_english_words_are_marked_by_stem_around_the_first_match():
    text = "Opening remarks. " + "Filler words here. " * 20 + "The trade talks resumed; talking on."
    marked = snippet(text, ["talk", "trade"], length=60, before=4)
    assert marked == "…The <mark>trade</mark> <mark>talks</mark> resumed; <mark>talking</mark> on."


def test_a_word_cut_by_the_window_is_marked_as_far_as_the_window_goes():
    text = "x" * 50 + " negotiations and talks"
    marked = snippet(text, [normalise_word("negotiations"), "talk"], length=20, before=0)
    assert marked == "…<mark>negotiations</mark> and <mark>tal</mark>…"


def test_chinese_terms_are_substrings_the_longest_first_and_text_is_escaped():
    text = '<b>"朝鲜半岛"</b> & 朝鲜的谈判'
    assert highlight(text, ["朝鲜", "朝鲜半岛"]) == (
        "&lt;b&gt;&quot;<mark>朝鲜半岛</mark>&quot;&lt;/b&gt; &amp; <mark>朝鲜</mark>的谈判"
    )


def test_no_match_gives_the_start_of_the_text():
    assert snippet("没有匹配的文字。" * 40, ["朝鲜"], length=10) == "没有匹配的文字。没有…"
    assert snippet("", ["朝鲜"]) == ""
