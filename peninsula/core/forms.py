"""The base of the site's admin forms: what an editor pastes is stored without the characters
XML cannot carry, so no feed or sitemap breaks on it (docs/security.md)."""

from wagtail.admin.forms import WagtailAdminModelForm

from peninsula.core.text import strip_control_characters


class AdminModelForm(WagtailAdminModelForm):
    def clean(self):
        # Every text value, rich text and tag names included, after the fields' own checks;
        # in place, as Wagtail's draft-state form returns its own cleaned_data after this.
        super().clean()
        self.cleaned_data.update(strip_control_characters(self.cleaned_data))
        return self.cleaned_data
