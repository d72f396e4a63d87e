"""A WordPress post's stored content turned into the HTML WordPress would show for it.

Classic-editor posts keep paragraphs as blank lines (WordPress adds the `<p>`s when it shows
them, "autop"); block-editor posts carry `<!-- wp:… -->` comments; both may hold shortcodes.
The result is sanitised by the import like any body (docs/import-format.md).
"""

import html
import re

_BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|legend|li|menu|nav|ol|p|pre|section|"
    "summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})[\s/>]", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_SHORTCODE_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_CAPTION_IMAGE = re.compile(
    r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE
)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.IGNORECASE)
_EMBED = re.compile(r"\[embed[^\]]*\]\s*(.*?)\s*\[/embed\]", re.DOTALL | re.IGNORECASE)
# WordPress embeds a URL standing alone on its line (oEmbed); here it becomes a plain link.
_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)


def wordpress_html(content, *, attachments=None, children=()):
    """HTML for a post's `content:encoded`; `attachments` maps attachment ids to their URLs
    (for [gallery ids=…]) and `children` lists the URLs of the post's own attachments (for a
    bare [gallery])."""
    blocks = "<!-- wp:" in content
    content = _BLOCK_COMMENT.sub("", content.replace("\r\n", "\n").replace("\r", "\n"))
    content = _CAPTION.sub(_caption, content)
    content = _GALLERY.sub(lambda m: _gallery(m, attachments or {}, children), content)
    content = _EMBED.sub(lambda m: _link(html.unescape(m.group(1))), content)
    content = _URL_LINE.sub(lambda m: _link(m.group(1)), content)
    # WordPress skips autop for block-editor posts, whose blocks already carry their tags.
    return content.strip() if blocks else autop(content)


def autop(text):
    """Blank lines → paragraphs, single newlines → `<br>`, block-level HTML left as it is."""
    preserved = []

    def keep(match):
        preserved.append(match.group(0))
        return f"\x00{len(preserved) - 1}\x00"

    text = _PRE.sub(keep, text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", _BLOCK_OPEN.sub(r"\n\n\1", text))
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_BLOCK.match(chunk) or re.fullmatch(r"\x00\d+\x00", chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    text = "\n".join(paragraphs)
    return re.sub(r"\x00(\d+)\x00", lambda m: preserved[int(m.group(1))], text)


def _attributes(text):
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _SHORTCODE_ATTR.finditer(text)
    }


def _caption(match):
    attributes = _attributes(match.group(1))
    inner = _CAPTION_IMAGE.match(match.group(2))
    if inner is None:
        return match.group(2)
    image, caption = inner.group(1), inner.group(2).strip() or attributes.get("caption", "")
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{image}{figcaption}</figure>\n\n"


def _gallery(match, attachments, children):
    ids = [i.strip() for i in _attributes(match.group(1)).get("ids", "").split(",") if i.strip()]
    urls = [attachments[i] for i in ids if i in attachments] if ids else list(children)
    if not urls:
        return ""
    images = "".join(f'<img src="{html.escape(url)}" alt="">' for url in urls)
    return f"\n\n<figure>{images}</figure>\n\n"


def _link(url):
    """The link WordPress shows for a URL it cannot embed, where the URL stood: a line of its
    own becomes a paragraph through autop, and one inside a block's <p> stays inside it."""
    url = html.escape(url.strip())
    return f'<a href="{url}">{url}</a>'
