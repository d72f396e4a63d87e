"""Sanitising stored HTML (imports, the editor, pasted content) against an allowlist with nh3.

Everything not listed is dropped: scripts and styles with their content, event handlers,
`style` attributes, and every URL scheme but http, https, mailto and tel (so no javascript:
or data: URLs). Links get rel="noopener". An <h1> becomes an <h2>: the page's title is its h1.
"""

import re

import nh3

ARTICLE_TAGS = frozenset(
    {
        *("p", "br", "hr", "h2", "h3", "h4", "blockquote", "pre", "code"),
        *("a", "strong", "em", "b", "i", "u", "s", "sub", "sup", "small", "mark"),
        *("cite", "q", "abbr", "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "img"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
    }
)
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "ol": {"start", "reversed"},
    "col": {"span"},
    "colgroup": {"span"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"lang", "dir"},
}
_H1 = re.compile(r"<(/?)h1(?=[\s/>])", re.IGNORECASE)
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_article_cleaner = nh3.Cleaner(
    tags=set(ARTICLE_TAGS),
    clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "svg"},
    attributes={tag: set(names) for tag, names in ARTICLE_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener",
    strip_comments=True,
)

# Wagtail's rich text keeps internal links and images as <a linktype id> and <embed embedtype>,
# which its `richtext` filter expands on output; the editor's HTML must keep them.
_rich_text_cleaner = nh3.Cleaner(
    tags=set(ARTICLE_TAGS | {"embed"}),
    clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "svg"},
    attributes={
        **{tag: set(names) for tag, names in ARTICLE_ATTRIBUTES.items()},
        "a": {"href", "title", "linktype", "id"},
        "embed": {"embedtype", "id", "format", "alt", "url"},
    },
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener",
    strip_comments=True,
)


def sanitize_html(value):
    """HTML from outside (an import, a feed) reduced to the tags a news article needs."""
    return _article_cleaner.clean(_H1.sub(r"<\1h2", value or ""))


def sanitize_rich_text(value):
    """Like `sanitize_html`, but keeping Wagtail's internal link and embed markup (the editor)."""
    return _rich_text_cleaner.clean(_H1.sub(r"<\1h2", value or ""))
