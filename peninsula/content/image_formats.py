"""Images in an article's body show their caption (图注) and credit (摄影) under them: Wagtail's
three formats, each drawn as a <figure> with a <figcaption> (Wagtail imports this module)."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.images.formats import Format, register_image_format, unregister_image_format

from peninsula.core.jinja2 import JINJA2

from .models import ImageDetails


class CaptionedFormat(Format):
    def image_to_html(self, image, alt_text, extra_attributes=None):
        extra = {"loading": "lazy", "decoding": "async", **(extra_attributes or {})}
        img = super().image_to_html(image, alt_text, extra)
        details = ImageDetails.objects.filter(image_id=image.pk).first()
        values = {"image": None, **_of(details)}
        caption = render_to_string("includes/image_caption.html", values, using=JINJA2)
        figure = f"richtext-figure richtext-figure--{self.name}"
        return mark_safe(f'<figure class="{figure}">{img}{caption}</figure>')


def _of(details):
    return {"caption": details.caption, "credit": details.credit} if details else {}


for name, label, classname, spec in (
    ("fullwidth", _("Full width"), "richtext-image full-width", "width-800"),
    ("left", _("Left-aligned"), "richtext-image left", "width-500"),
    ("right", _("Right-aligned"), "richtext-image right", "width-500"),
):
    unregister_image_format(name)
    register_image_format(CaptionedFormat(name, label, classname, spec))
