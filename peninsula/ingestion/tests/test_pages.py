from datetime import datetime, timedelta, timezone

import pytest

from peninsula.content.models import Article
from peninsula.ingestion.pages import decode_html

from .conftest import DATA, png_bytes
from .test_import_command import run_import

CST = timezone(timedelta(hours=8))
CLUTTER = ("首页", "热门排行", "网友评论", "广告", "分享到", "版权所有", "ICP", "alert")


@pytest.mark.django_db
def test_a_gbk_news_page_is_imported_without_its_clutter(site):
    site.serve("/images/2024/port-lead.jpg", png_bytes("teal"), content_type="image/png")
    url = site.serve(
        "/news/2024/09/22/port.html",
        (DATA / "page-gbk.htm").read_bytes(),
        content_type="text/html",  # no charset: the page's meta says GBK
    )
    out, err = run_import(url, "--category", "国内/社会", "--draft")
    assert "1 created, 0 updated, 0 failed" in out and err == ""
    article = Article.objects.get()
    assert article.title == "东海之滨新港口开港 首批货轮靠泊"
    assert article.byline == "林晓燕" and article.original_author == "林晓燕"
    assert article.published_at == datetime(2024, 9, 22, 9, 15, 30, tzinfo=CST)
    assert article.source_url == url and article.external_id == url
    assert not article.live  # --draft: waits for an editor
    assert "新港口设计年吞吐能力为一百二十万标准箱" in article.body
    assert "老船长王建国" in article.body
    assert "<h1" not in article.body  # the headline is the page's own h1
    for clutter in CLUTTER:
        assert clutter not in article.body, clutter
    assert article.cover_image is not None

    out, _ = run_import(url, "--category", "国内/社会")
    assert "0 created, 1 updated, 0 failed" in out


@pytest.mark.parametrize(
    ("body", "charset", "text"),
    [
        ('<meta charset="gb2312"><p>镕基</p>'.encode("gbk"), None, "镕基"),  # GB2312 read as GBK
        ("<p>濱海</p>".encode("big5"), "big5", "濱海"),
        ("<p>滨海</p>".encode(), None, "滨海"),
    ],
)
def test_pages_are_decoded_by_header_then_meta(body, charset, text):
    assert text in decode_html(body, charset)


def test_a_page_without_a_lead_image_is_not_its_own_image():
    from peninsula.ingestion.pages import page_item

    body = (
        "<html><head><title>会谈举行</title></head><body><article><h1>会谈举行</h1>"
        + "<p>韩国和朝鲜代表周五在板门店举行会谈，双方交换了意见。</p>" * 5
        + "</article></body></html>"
    ).encode()
    item = page_item(body, url="https://news.example/2024/1.html")
    assert "image" not in item


@pytest.mark.django_db
def test_text_that_looks_like_svg_is_not_an_image(site):
    from peninsula.ingestion.images import ImageError, store_image

    for n, text in enumerate(["<html><body>hello</body></html>", "<!doctype html><p>hello"]):
        url = site.serve(f"/not-an-image-{n}", text)
        with pytest.raises(ImageError, match="not an image"):
            store_image(url, title="x")
