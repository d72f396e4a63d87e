"""factory_boy factories for the content models, shared by every app's tests."""

import factory
from django.test import TestCase
from django.utils import timezone

from peninsula.content.models import Article, ArticleAuthor, Author, Category, Source


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    url = "https://example.com/"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article; pass `live=False` for a draft."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    body = factory.LazyAttribute(lambda o: f"<p>{o.title} body text for readers.</p>")
    category = factory.SubFactory(CategoryFactory)
    language = "zh"
    live = True
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))

    @classmethod
    def _generate(cls, strategy, params):
        # Committed as an editor's save is: the "articles changed" event (search index, page
        # cache) is handled before the test goes on, though the test's transaction stays open.
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super()._generate(strategy, params)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
            self.save()

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """Authors in the order given, each credited for the text; or (author, role) pairs."""
        if create and extracted:
            self.credits = credits_for(extracted)
            self.save()


def credits_for(authors):
    """The credits of `authors` in order: each an Author (credited for the text, 文) or an
    (Author, role) pair."""
    credits = []
    for order, entry in enumerate(authors):
        author, role = entry if isinstance(entry, tuple) else (entry, ArticleAuthor.Role.WRITER)
        credits.append(ArticleAuthor(author=author, role=role, sort_order=order))
    return credits
