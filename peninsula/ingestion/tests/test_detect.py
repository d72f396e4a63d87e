import pytest

from peninsula.ingestion.detect import UnknownFormat, detect_format

from .conftest import DATA


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wordpress.xml", "wordpress"),
        ("rss2-gb2312.xml", "feed"),
        ("atom-big5.xml", "feed"),
        ("rss-utf16.xml", "feed"),
        ("rss1.rdf", "feed"),
        ("rss091.xml", "feed"),
        ("feed.json", "jsonfeed"),
        ("page-gbk.htm", "html"),
    ],
)
def test_the_format_comes_from_the_content(name, expected):
    assert detect_format((DATA / name).read_bytes()[:8192], suffix=".txt") == expected


def test_json_lines_and_the_extension_as_a_last_resort():
    assert detect_format(b'\xef\xbb\xbf{"title": "x"}\n') == "jsonl"
    assert detect_format(b"", suffix=".jsonl") == "jsonl"
    with pytest.raises(UnknownFormat):
        detect_format(b"a,b\n", suffix=".csv")


def test_one_json_value_over_many_lines_is_read_as_a_feed():
    """A JSON Feed without its version, or any pretty-printed document, is one value: read as
    JSON Lines, each of its lines would fail on its own."""
    assert detect_format(b'{\n  "title": "x",\n  "items": []\n}\n') == "jsonfeed"
    assert detect_format(b'[\n  {"title": "x"}\n]\n') == "jsonfeed"
    assert detect_format(b'{"title": "x"}\n{"title": "y"}\n') == "jsonl"
    # A first line longer than the head is a JSON Lines line cut short, not a document.
    assert detect_format(b'{"title": "' + b"x" * 9000) == "jsonl"
