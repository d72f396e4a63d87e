"""Template tags for the reader's pages: the breadcrumb trail through every category level."""

from django import template

from peninsula.content.tree import category_tree

register = template.Library()


@register.inclusion_tag("includes/breadcrumb.html", takes_context=True)
def breadcrumbs(context, category=None):
    """`{% breadcrumbs category %}`: 您现在的位置是: site > every category down to this one."""
    trail = []
    if category is not None:
        trail = category_tree(must_contain=category.pk).ancestors_and_self(category.pk)
    return {"site_name": context.get("SITE_NAME", ""), "trail": trail}
