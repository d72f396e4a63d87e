"""Admin forms: the article editor, the snippet choosers, and the image form with required alt
text."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm
from wagtail.snippets.views.chooser import SnippetChooserViewSet

from peninsula.core.forms import AdminModelForm, SnippetChooser
from peninsula.core.html import sanitize_rich_text


class ArticleForm(AdminModelForm):
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


class ChooserViewSet(SnippetChooserViewSet):
    base_widget_class = SnippetChooser
