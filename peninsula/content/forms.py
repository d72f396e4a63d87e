"""Admin forms: the article editor, the category form, the snippet choosers, the image form with
required alt text, and tags split as Chinese editors type them (docs/newsroom.md)."""

import re

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from taggit.utils import _parse_tags
from wagtail.images.forms import BaseImageForm
from wagtail.snippets.views.chooser import SnippetChooserViewSet

from peninsula.core.forms import AdminModelForm, SnippetChooser
from peninsula.core.html import sanitize_rich_text

# Full-width comma, enumeration comma and semicolons separate tags as "," does.
TAG_SEPARATORS = re.compile(r"[，、；;]")


def split_tags(text):
    """Taggit's parser (TAGGIT_TAGS_FROM_STRING), with the separators a Chinese keyboard types:
    "港口，航运、东南亚" is three tags."""
    return _parse_tags(TAG_SEPARATORS.sub(",", text))


# Sent by ArticleForm.clean with `form` and `publishing` (发布 or 通过并发布 pressed), so that other
# apps check the text without content importing them: screening refuses publishing blocked words.
article_form_cleaned = Signal()


class ArticleForm(AdminModelForm):
    @property
    def is_publishing(self):
        return "action-publish" in self.data or self.data.get("workflow-action-name") == "approve"

    def clean(self):
        data = super().clean()
        article_form_cleaned.send(sender=type(self), form=self, publishing=self.is_publishing)
        return data

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
    """Wagtail's image form with the description required: it is the image's alt text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = _("Alt text")
            field.help_text = _("Describe the image for readers who cannot see it.")


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
