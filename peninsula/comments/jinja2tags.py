"""`article_comments(article)`: the comments section of an article page.

The section is the same on every article page but for the article's id, its count and its
address, and the page is one cached page for every reader (the script shows who is signed in
and loads the comments). It is rendered once per language and the article's values are filled
in (peninsula.core.fragments): it was a tenth of an uncached article render.
"""

from django.template.defaultfilters import urlencode
from jinja2.ext import Extension

from jinja2 import pass_context
from peninsula.core import fragments
from peninsula.core.reversing import reverse


@pass_context
def article_comments(context, article):
    path = context["request"].path
    fill = {
        "article_id": article.pk,
        "comment_count": article.comments,
        "page_url": reverse("comments:page", kwargs={"article_id": article.pk}),
        "post_url": reverse("comments:post", kwargs={"article_id": article.pk}),
        "path": path,
        "next": urlencode(f"{path}#comments"),
    }
    return fragments.render("comments/includes/article_comments.html", {}, key=None, fill=fill)


class CommentsExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["article_comments"] = article_comments
