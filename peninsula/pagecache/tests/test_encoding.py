"""Which readers get the gzipped form of a page."""

import random

import pytest

from peninsula.pagecache.encoding import accepts_gzip, compress, compressible


@pytest.mark.parametrize(
    "header",
    ["gzip", "GZIP", "gzip, deflate, br, zstd", "x-gzip", "*", "br;q=1.0, gzip;q=0.5", "gzip;q=.1"],
)
def test_accepted(header):
    assert accepts_gzip(header)


@pytest.mark.parametrize(
    "header",
    [None, "", "identity", "br, zstd", "gzip;q=0", "gzip; q=0.000", "*;q=0", "*, gzip;q=0",
     "gzip;q=oops", "gzipped"],
)  # fmt: skip
def test_refused(header):
    assert not accepts_gzip(header)


def test_only_text_worth_compressing_is_compressed():
    page = b"<p>text</p>" * 100
    assert compressible("text/html; charset=utf-8", page)
    assert compressible("application/rss+xml", page)
    assert not compressible("image/png", page)
    assert not compressible("text/html", b"<p>short</p>")
    assert len(compress(page)) < len(page)
    assert compress(random.Random(0).randbytes(1000)) is None  # no smaller
