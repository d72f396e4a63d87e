"""Nothing a comment contains becomes markup: the XSS payload list posted as names and comments."""

import json
import re

import pytest

from peninsula.comments.models import Comment
from peninsula.comments.text import as_html, plain_text
from peninsula.core.tests.hostile import PAYLOADS

from .conftest import post

pytestmark = pytest.mark.django_db

# The only markup comment HTML may carry: our links and line breaks.
OWN_LINK = re.compile(r'<a href="https?://[^"<>]*" rel="nofollow ugc noopener" target="_blank">')


def markup_left(html):
    return re.sub(r"<br>|</a>", "", OWN_LINK.sub("", html))


def test_plain_text_keeps_words_and_line_breaks():
    assert plain_text("<b>粗体</b> & <i>斜体</i>\r\n第二行") == "粗体 & 斜体\n第二行"
    assert plain_text("<script>alert(1)</script>正文") == "正文"
    assert plain_text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2"
    assert plain_text("a\n\n\n\n\nb") == "a\n\nb"
    assert plain_text("\x00\x08hi\x1f") == "hi"


def test_links_are_nofollow_ugc_and_text_is_escaped():
    html = as_html('看 https://example.com/a?b=1&c="x" 和 www.example.org。\n<img>')
    assert '<a href="https://example.com/a?b=1&amp;c=" rel="nofollow ugc noopener"' in html
    assert 'href="http://www.example.org"' in html
    assert html.endswith("<br>&lt;img&gt;")
    assert "javascript:" not in as_html("javascript:alert(1)") or "<a" not in as_html(
        "javascript:alert(1)"
    )


def test_every_payload_is_stored_and_shown_as_text(reader, article, post_moderated):
    for payload in PAYLOADS:
        response = post(reader, article, name=payload[:50], text=payload + "\n好文")
        assert response.status_code in (201, 400), payload
    stored = Comment.objects.count()
    assert stored > len(PAYLOADS) * 0.8
    page = 1
    seen = 0
    while True:
        query = "" if page == 1 else f"?page={page}"
        data = json.loads(reader.get(f"/api/articles/{article.pk}/comments{query}").content)
        for comment in data["comments"]:
            assert "<" not in markup_left(comment["html"]), comment["html"]
            seen += 1
        if page >= data["pages"]:
            break
        page += 1
    assert seen == stored
    html = reader.get(f"/comments/{article.pk}/").content.decode()
    body = html.split('<ol class="comments__list">', 1)[1].split("</ol>\n", 1)[0]
    texts = re.findall(r'<div class="comment__text">(.*?)</div>', body, re.S)
    assert texts and all("<" not in markup_left(t) for t in texts)
    names = re.findall(r'<span class="comment__name">(.*?)</span>', body, re.S)
    assert names and all("<" not in name for name in names)
