"""Articles with tags and authors stored, and cover images, for the syndication and API tests."""

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from peninsula.content.tests.factories import ArticleFactory, credits_for


def make_article(*, tags=(), authors=(), **fields):
    """An article whose tags and authors are saved (cluster relations wait for a save)."""
    article = ArticleFactory(**fields)
    if tags or authors:
        article.tags.add(*tags)
        article.credits = credits_for(authors)
        article.save(update_fields=["tagged_items", "credits"])
    return article


def make_image(title="cover", size=(1600, 900)):
    return get_image_model().objects.create(title=title, file=get_test_image_file(size=size))
