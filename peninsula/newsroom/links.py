"""Body links to other articles, chosen by title and stored by id.

Wagtail's link chooser offers Wagtail pages as 内部链接, and Peninsula publishes none. Its
内部链接 tab lists articles instead (views.ArticleLinkChooser), and the link is stored as
`<a linktype="article" id="39">`, which becomes the article's address when the page is drawn:
a later change of the article's 栏目, hence of its address, does not break the link.
"""

from django.utils.html import escape
from draftjs_exporter.dom import DOM
from wagtail.admin.rich_text.converters.contentstate import link_entity as wagtail_link_entity
from wagtail.admin.rich_text.converters.html_to_contentstate import (
    ExternalLinkElementHandler,
    LinkElementHandler,
)
from wagtail.rich_text import LinkHandler

from peninsula.content.models import Article


def published_articles(ids):
    """{str(id): article} of the published ones among `ids`: a link to a withdrawn or draft
    article leads nowhere rather than to a 404."""
    found = Article.objects.published().select_related("category").only("id", "category__slug")
    return {str(a.pk): a for a in found.filter(pk__in=[i for i in ids if str(i).isdigit()])}


class ArticleLinkHandler(LinkHandler):
    identifier = "article"

    @staticmethod
    def get_model():
        return Article

    @classmethod
    def expand_db_attributes(cls, attrs):
        return cls.expand_db_attributes_many([attrs])[0]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        articles = published_articles([attrs.get("id") for attrs in attrs_list])
        return [
            f'<a href="{escape(article.get_absolute_url())}">' if article else "<a>"
            for article in (articles.get(str(attrs.get("id"))) for attrs in attrs_list)
        ]

    @classmethod
    def extract_references(cls, attrs):
        yield Article, attrs["id"], "", ""


class ArticleLinkElementHandler(LinkElementHandler):
    """A stored article link, as the editor's LINK entity: the chooser's id and the address."""

    def get_attribute_data(self, attrs):
        article = published_articles([attrs.get("id")]).get(str(attrs.get("id")))
        url = article.get_absolute_url() if article else None
        pk = attrs.get("id")
        # parentId null: the chooser script then reopens the plain 内部链接 tab.
        return {"id": int(pk) if str(pk).isdigit() else None, "url": url, "parentId": None}


def link_entity(props):
    """The editor's LINK entity in the database: an article chosen by id, else an address."""
    if props.get("id") is not None:
        return DOM.create_element(
            "a", {"linktype": "article", "id": props["id"]}, props["children"]
        )
    return wagtail_link_entity(props)


CONTENTSTATE_RULE = {
    "from_database_format": {
        "a[href]": ExternalLinkElementHandler("LINK"),
        'a[linktype="article"]': ArticleLinkElementHandler("LINK"),
    },
    "to_database_format": {"entity_decorators": {"LINK": link_entity}},
}
