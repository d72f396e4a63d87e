"""The base of the site's admin forms and choosers: what an editor pastes is stored without the
characters XML cannot carry (docs/security.md), and a garbled post is a form error, not a 500."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images.widgets import AdminImageChooser
from wagtail.snippets.widgets import AdminSnippetChooser

from peninsula.core.text import strip_control_characters


class AdminModelForm(WagtailAdminModelForm):
    def clean(self):
        # Every text value, rich text and tag names included, after the fields' own checks;
        # in place, as Wagtail's draft-state form returns its own cleaned_data after this.
        super().clean()
        self.cleaned_data.update(strip_control_characters(self.cleaned_data))
        return self.cleaned_data


class ForgivingChooser:
    """A chooser widget that shows an id that is not a number (a forged or garbled post, which
    the form refuses) as nothing chosen when the form comes back, where Wagtail's fails."""

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (TypeError, ValueError, ValidationError):
            return None


class SnippetChooser(ForgivingChooser, AdminSnippetChooser):
    pass


class ImageChooser(ForgivingChooser, AdminImageChooser):
    pass
