"""How other apps' pages show engagement: ranked article lists."""

from django.utils.translation import gettext_lazy as _
from jinja2.ext import Extension

from peninsula.core import fragments
from peninsula.engagement import rankings

HEADINGS = {
    "most_read": _("Most read"),
    "trending_24h": _("Most read in 24 hours"),
    "trending_7d": _("Most read in 7 days"),
    "trending_30d": _("Most read in 30 days"),
    "most_liked": _("Most liked"),
}


def ranking_list(kind, category=None, limit=10):
    """`ranking_list("most_read", category=category, limit=10)`: a heading and an <ol>.

    Reads the list the refresh_rankings job precomputed; `category` is a Category or its id. The
    HTML is rendered once per process for each version of the list (peninsula.core.fragments).
    """
    if kind not in HEADINGS:
        raise ValueError(f"ranking_list: unknown kind {kind!r}; use one of {', '.join(HEADINGS)}.")
    category_id = getattr(category, "pk", category) or None
    items = rankings.get(kind, category_id)[: max(0, int(limit))]
    values = {
        "kind": kind,
        "heading": HEADINGS[kind],
        "items": items,
        "count_is_likes": kind == "most_liked",
    }
    key = (kind, tuple((item["url"], item["title"], item["count"]) for item in items))
    return fragments.render("engagement/includes/ranking_list.html", values, key)


class EngagementExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["ranking_list"] = ranking_list
