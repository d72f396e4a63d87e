"""`share_block(article)`: the article's address to copy and its QR code for WeChat."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from jinja2.ext import Extension

from jinja2 import pass_context
from peninsula.core import jinja2 as templates
from peninsula.sharing.qr import qr_svg


@pass_context
def share_block(context, article):
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    title = _("QR code of this article's address")
    values = {"url": url, "article": article, "qr": mark_safe(qr_svg(url, title=title))}
    return templates.render("sharing/share.html", values)


class SharingExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["share_block"] = share_block
