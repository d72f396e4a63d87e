"""Admin forms: the article editor, the category form, the snippet choosers, the image form with
required alt text, and tags split as Chinese editors type them (docs/newsroom.md)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from taggit.utils import _parse_tags
from wagtail.images.forms import BaseImageForm
from wagtail.snippets.views.chooser import SnippetChooserViewSet

from peninsula.core.forms import AdminModelForm, SnippetChooser
from peninsula.core.html import sanitize_rich_text

from .models import ImageDetails

# Full-width comma, enumeration comma and semicolons separate tags as "," does.
TAG_SEPARATORS = re.compile(r"[，、；;]")


def split_tags(text):
    """Taggit's parser (TAGGIT_TAGS_FROM_STRING), with the separators a Chinese keyboard types:
    "港口，航运、东南亚" is three tags."""
    return _parse_tags(TAG_SEPARATORS.sub(",", text))


class ArticleForm(AdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new article is the writer's own: 作者 starts with their Author (issue: editors
        # typed their own name into every story).
        author = getattr(self.for_user, "author_profile", None) if self.for_user else None
        if author is not None and self.instance.pk is None and "authors" in self.fields:
            self.initial.setdefault("authors", [author.pk])

    def clean_body(self):
        """Whatever reached the editor (pasted from Word or a web page) is cut to the allowlist."""
        return sanitize_rich_text(self.cleaned_data.get("body"))

    def validate_unique(self):
        # Linking to an article that is another's translation moves the link (Article.save
        # unlinks the old partner), so the one-to-one check must not refuse it.
        exclude = self._get_validation_exclusions()
        exclude.add("translation")
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as e:
            self._update_errors(e)


class ImageForm(BaseImageForm):
    """Wagtail's image form with the description required (it is the image's alt text), and
    the caption (图注) and credit (摄影) readers see under the image (models.ImageDetails)."""

    caption = forms.CharField(
        label=_("Caption"),
        max_length=500,
        required=False,
        help_text=_("Shown under the image wherever it appears (图注)."),
    )
    credit = forms.CharField(
        label=_("Photographer"),
        max_length=200,
        required=False,
        help_text=_("Who took the picture or holds its rights (摄影)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = _("Alt text")
            field.help_text = _("Describe the image for readers who cannot see it.")
        if self.instance.pk:
            details = ImageDetails.objects.filter(image=self.instance).first()
            if details is not None:
                self.initial.setdefault("caption", details.caption)
                self.initial.setdefault("credit", details.credit)

    def save(self, commit=True):
        # Wagtail's upload view saves the image itself (commit=False, then image.save()):
        # the details travel on the instance and a post_save receiver writes them (signals.py).
        self.instance.pending_details = (
            self.cleaned_data.get("caption", ""),
            self.cleaned_data.get("credit", ""),
        )
        return super().save(commit=commit)


class CategoryForm(AdminModelForm):
    """The slug may be left empty: Category.save() makes it from the name, in pinyin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Used in the category's URL. Left empty, it is made from the name in pinyin."
            )


class ChooserViewSet(SnippetChooserViewSet):
    base_widget_class = SnippetChooser
