"""Template tags through which other apps' pages show engagement: ranked article lists."""

from django import template
from django.utils.translation import gettext_lazy as _

from peninsula.core import fragments
from peninsula.engagement import rankings

register = template.Library()

HEADINGS = {
    "most_read": _("Most read"),
    "trending_24h": _("Most read in 24 hours"),
    "trending_7d": _("Most read in 7 days"),
    "trending_30d": _("Most read in 30 days"),
    "most_liked": _("Most liked"),
}


@register.simple_tag(takes_context=True)
def ranking_list(context, kind, category=None, limit=10):
    """`{% ranking_list "most_read" category=category limit=10 %}`: a heading and an <ol>.

    Reads the list the refresh_rankings job precomputed; `category` is a Category or its id. The
    HTML is rendered once per process for each version of the list (peninsula.core.fragments).
    """
    if kind not in HEADINGS:
        raise template.TemplateSyntaxError(
            f"ranking_list: unknown kind {kind!r}; use one of {', '.join(HEADINGS)}."
        )
    category_id = getattr(category, "pk", category) or None
    items = rankings.get(kind, category_id)[: max(0, int(limit))]
    values = {
        "kind": kind,
        "heading": HEADINGS[kind],
        "items": items,
        "count_is_likes": kind == "most_liked",
    }
    key = (kind, tuple((item["url"], item["title"], item["count"]) for item in items))
    return fragments.render(context, "engagement/includes/ranking_list.html", values, key)
