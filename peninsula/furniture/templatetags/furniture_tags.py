"""`{% site_furniture %}` (the footer's pages and friend links) and `{% ad_slot "position" %}`."""

from django import template

from peninsula.core import fragments

from .. import furniture

register = template.Library()


@register.simple_tag(takes_context=True)
def site_furniture(context):
    pages, links = furniture.footer()
    if not pages and not links:
        return ""
    values = {"pages": pages, "links": links}
    return fragments.render(context, "furniture/footer.html", values, (pages, links))


@register.simple_tag(takes_context=True)
def ad_slot(context, position):
    """The current ads of a position, each labelled 广告; nothing when there is none."""
    ads = furniture.ads(position)
    if not ads:
        return ""
    values = {"ads": ads, "position": position}
    return fragments.render(context, "furniture/ad_slot.html", values, (position, ads))
