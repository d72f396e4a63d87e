"""`{% share_block article %}`: the article's address to copy and its QR code for WeChat."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from peninsula.sharing.qr import qr_svg

register = template.Library()


@register.inclusion_tag("sharing/share.html", takes_context=True)
def share_block(context, article):
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    title = _("QR code of this article's address")
    return {"url": url, "article": article, "qr": mark_safe(qr_svg(url, title=title))}
