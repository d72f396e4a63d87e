"""The page's header and footer (`site_header()`, `site_footer()`), the footer's pages and
friend links and `ad_slot("position")`.

The header and footer are the same on every page of a site but for the page's own path and
search words: each is rendered once per process for each version of the site's name, logo,
navigation and furniture, which cost a third of a category page's render when every page
rendered them anew.
"""

from django.utils import timezone
from jinja2.ext import Extension

from jinja2 import pass_context
from peninsula.content.jinja2tags import category_menu
from peninsula.core import fragments, scope
from peninsula.core.jinja2 import language_buttons
from peninsula.core.site import site_settings

from . import furniture


@pass_context
def site_header(context, current=None, query=""):
    """The site's name and logo, the search box (showing `query`), the language switcher (which
    brings the reader back to this page) and the navigation, `current`'s section marked."""
    site = _site(context)
    logo = site.logo
    values = {
        "site_name": site.site_name,
        "tagline": site.tagline,
        "logo": logo,
        "language_buttons": language_buttons(),
        "navigation": category_menu(context, "includes/site_nav.html", current=current),
    }
    key = (
        values["site_name"],
        values["tagline"],
        (logo.pk, logo.file_hash) if logo else None,
        values["language_buttons"],
        values["navigation"],
    )
    fill = {
        "query": query,
        "next_path": context["request"].get_full_path(),
    }
    return fragments.render("includes/header.html", values, key, fill=fill)


@pass_context
def site_footer(context):
    """The footer navigation, the site's pages and friend links, its footer text, the year and
    the site's ICP number."""
    site = _site(context)
    values = {
        "navigation": category_menu(context, "includes/footer_nav.html"),
        "furniture": site_furniture(),
        "footer_text": site.footer_text,
        "site_name": site.site_name,
        "year": timezone.localdate(timezone=scope.time_zone()).year,
        "icp_number": site.icp_number,
    }
    return fragments.render("includes/footer.html", values, tuple(values.values()))


def _site(context):
    """The site settings the context processor gave the page, or read for its request."""
    return context.get("site_settings") or site_settings(context.get("request"))


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
        environment.globals.update(
            site_header=site_header,
            site_footer=site_footer,
            ad_slot=ad_slot,
        )
