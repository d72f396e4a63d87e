"""Template tags through which other apps' pages show engagement: ranked article lists."""

from django import template
from django.utils.translation import gettext_lazy as _

from peninsula.engagement import rankings

register = template.Library()

HEADINGS = {
    "most_read": _("Most read"),
    "trending_24h": _("Trending today"),
    "trending_7d": _("Trending this week"),
    "most_liked": _("Most liked"),
}


@register.inclusion_tag("engagement/includes/ranking_list.html")
def ranking_list(kind, category=None, limit=10):
    """`{% ranking_list "most_read" category=category limit=10 %}`: a heading and an <ol>.

    Reads the list the refresh_rankings job precomputed; `category` is a Category or its id.
    """
    if kind not in HEADINGS:
        raise template.TemplateSyntaxError(
            f"ranking_list: unknown kind {kind!r}; use one of {', '.join(HEADINGS)}."
        )
    category_id = getattr(category, "pk", category) or None
    return {
        "kind": kind,
        "heading": HEADINGS[kind],
        "items": rankings.get(kind, category_id)[: max(0, int(limit))],
        "count_is_likes": kind == "most_liked",
    }
