from django import template

from ..review import review_base

register = template.Library()


@register.simple_tag
def review_base_of(obj, revision):
    """The revision a reviewer compares `revision` against (newsroom.review), for objects with
    revisions; None otherwise."""
    if revision is None or not hasattr(obj, "live_revision_id"):
        return None
    return review_base(obj, revision)
