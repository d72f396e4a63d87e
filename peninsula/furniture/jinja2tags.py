"""`site_furniture()` (the footer's pages and friend links) and `ad_slot("position")`."""

from jinja2.ext import Extension

from peninsula.core import fragments

from . import furniture


def site_furniture():
    pages, links = furniture.footer()
    if not pages and not links:
        return ""
    values = {"pages": pages, "links": links}
    return fragments.render("furniture/footer.html", values, (pages, links))


def ad_slot(position):
    """The current ads of a position, each labelled 广告; nothing when there is none."""
    ads = furniture.ads(position)
    if not ads:
        return ""
    values = {"ads": ads, "position": position}
    return fragments.render("furniture/ad_slot.html", values, (position, ads))


class FurnitureExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(site_furniture=site_furniture, ad_slot=ad_slot)
