"""`share_block(article)`: the article's address to copy and its QR code for WeChat."""

from jinja2.ext import Extension

from jinja2 import pass_context
from peninsula.core import jinja2 as templates

from .views import qr_path


@pass_context
def share_block(context, article):
    request = context["request"]
    values = {
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "qr": qr_path(article),
    }
    return templates.render("sharing/share.html", values)


class SharingExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["share_block"] = share_block
