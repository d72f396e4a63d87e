"""A search result as the results page shows it: a light row (content.listings) read with
`.values()`, its title and snippet marked for the query.

Model instances of a page of results cost about twice the CPU of these rows (Wagtail's page
machinery in `ClusterableModel.__init__`), and the page shows none of what they add.
"""

from django.utils.functional import cached_property

from peninsula.content.listings import LINK_FIELDS, ArticleLink
from peninsula.core.text import html_to_text

from .highlight import highlight, snippet


class SearchHit(ArticleLink):
    fields = (*LINK_FIELDS, "category__name", "summary", "excerpt", "body")

    def __init__(self, row, terms):
        """`terms`: the query's `highlight_terms`."""
        super().__init__(row, None)
        self.category.name = row["category__name"]
        self.summary = row["summary"]
        self.excerpt = row["excerpt"]
        self.body = row["body"]
        self.terms = terms

    @cached_property
    def marked_title(self):
        return highlight(self.title, self.terms)

    @cached_property
    def snippet(self):
        """The part of the body around the first match, or the start of the summary."""
        body = html_to_text(self.body)
        for text in (body, self.summary or self.excerpt):
            marked = snippet(text, self.terms)
            if "<mark>" in marked:
                return marked
        return snippet(self.excerpt or body, self.terms)
