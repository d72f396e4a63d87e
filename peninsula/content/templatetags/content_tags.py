"""Template tags for the reader's pages: breadcrumbs, the current section, the byline."""

from django import template

from peninsula.content.tree import category_tree
from peninsula.core.text import html_to_text

register = template.Library()

# How much of the body's start to read when checking whether it opens with the byline.
BYLINE_WINDOW = 500


@register.inclusion_tag("includes/breadcrumb.html", takes_context=True)
def breadcrumbs(context, category=None, is_current=False):
    """`{% breadcrumbs category %}`: 您现在的位置是: site > every category down to this one."""
    trail = []
    if category is not None:
        trail = category_tree(must_contain=category.pk).ancestors_and_self(category.pk)
    return {"site_name": context.get("SITE_NAME", ""), "trail": trail, "is_current": is_current}


@register.simple_tag
def current_root_id(category):
    """The id of the top-level category above `category`, to mark it in the navigation."""
    if not getattr(category, "pk", None):
        return None
    return category_tree(must_contain=category.pk).root_id(category.pk)


@register.filter
def opens_with_byline(article):
    """Whether the body already starts with the byline, as imported wire copy usually does."""
    if not article.byline:
        return True
    return html_to_text(article.body[:BYLINE_WINDOW]).startswith(article.byline)
