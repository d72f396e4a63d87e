"""`share_block(article)`: the article's address to copy and its QR code for WeChat.

The block is the same on every article page but for those two addresses: it is rendered once
per language and they are filled in (peninsula.core.fragments).
"""

from jinja2.ext import Extension

from jinja2 import pass_context
from peninsula.core import fragments
from peninsula.core.reversing import absolute

from .views import qr_path


@pass_context
def share_block(context, article):
    request = context["request"]
    fill = {
        "url": absolute(request, article.get_absolute_url()),
        "qr": qr_path(article),
    }
    return fragments.render("sharing/share.html", {}, key=None, fill=fill)


class SharingExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["share_block"] = share_block
