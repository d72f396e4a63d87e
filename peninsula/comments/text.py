"""Comment text: plain text with line breaks, never HTML, and its one way to the page.

What a reader sends is reduced to text (tags dropped with nh3, entities decoded, control
characters stripped) and stored so; it is escaped every time it is shown, with web addresses
turned into `rel="nofollow ugc"` links and line breaks into `<br>`.
"""

import html
import re

import nh3
from django.utils.html import escape

from peninsula.core.text import strip_control_characters

MAX_LENGTH = 2000
MAX_LINES = 40
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'，。！？、）】》]+", re.IGNORECASE)
# A trailing full stop or bracket belongs to the sentence, not the address.
TRAILING = ".,;:!?)]}'\""


def plain_text(raw):
    """The text a reader meant: no tags (script and style with their content), entities
    decoded, Windows and old Mac line ends as \\n, at most two blank lines in a row."""
    text = nh3.clean(raw or "", tags=set(), attributes={}, strip_comments=True)
    text = html.unescape(text)  # nh3 escapes &, < and > in the text it keeps
    text = strip_control_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def has_links(text):
    return URL_RE.search(text) is not None


def _link(match):
    url = match.group(0)
    tail = ""
    while url and url[-1] in TRAILING:
        url, tail = url[:-1], url[-1] + tail
    href = url if url.lower().startswith("http") else "http://" + url
    return (
        f'<a href="{escape(href)}" rel="nofollow ugc noopener" target="_blank">{escape(url)}</a>'
        f"{escape(tail)}"
    )


def as_html(text):
    """Safe HTML for stored comment text: everything escaped, addresses linked, breaks kept."""
    out, last = [], 0
    for match in URL_RE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(_link(match))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out).replace("\n", "<br>")
