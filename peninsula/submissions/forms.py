"""The 投稿 form: the story, the sender, up to three pictures, and the shared protections."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from peninsula.screening.abuse import ProtectedForm

MAX_IMAGES = 3
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.ImageField):
    """Up to MAX_IMAGES pictures from one <input multiple>, each checked by Pillow."""

    def __init__(self, **kwargs):
        accept = "image/jpeg,image/png,image/gif,image/webp"
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_IMAGES:
            raise forms.ValidationError(
                _("At most %(n)d pictures.") % {"n": MAX_IMAGES}, code="too_many"
            )
        limit = settings.SUBMISSION_IMAGE_MAX_BYTES
        cleaned = []
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(limit)s.")
                    % {"name": upload.name, "limit": filesizeformat(limit)},
                    code="too_large",
                )
            image = super().clean(upload)  # Pillow opens and verifies it
            if image.image.format not in IMAGE_FORMATS:
                raise forms.ValidationError(
                    _("%(name)s is not a JPEG, PNG, GIF or WebP picture.") % {"name": upload.name},
                    code="format",
                )
            cleaned.append(image)
        return cleaned


class SubmissionForm(ProtectedForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("Your story"),
        min_length=20,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    images = ImagesField(
        label=_("Pictures"),
        required=False,
        help_text=_("Up to three JPEG, PNG, GIF or WebP pictures."),
    )
    name = forms.CharField(label=_("Your name"), max_length=50)
    contact = forms.CharField(
        label=_("Phone, email or WeChat"),
        max_length=100,
        help_text=_("Only our editors see your name and contact."),
    )
