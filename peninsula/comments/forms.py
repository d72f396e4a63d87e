"""The reader's comment form: the same fields from the page's script (JSON) and from the plain
form of the comments page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peninsula.screening.abuse import ProtectedForm

from .text import MAX_LENGTH, MAX_LINES, plain_text


class CommentForm(ProtectedForm):
    """With the screening's honeypot and, when switched on, its captcha (`captcha_0`, the key
    from `/captcha/new/`, and `captcha_1`, the answer)."""

    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    email = forms.EmailField(
        label=_("Email (optional, never shown)"), max_length=254, required=False
    )
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))
    parent = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if self.user is not None:
            return (self.user.get_full_name() or self.user.get_username())[:50]
        if not name:
            raise forms.ValidationError(_("Please give a name."))
        return name

    def clean_text(self):
        text = plain_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Please write a comment."))
        if len(text) > MAX_LENGTH:
            raise forms.ValidationError(
                _("A comment is at most %(max)d characters (this one has %(n)d).")
                % {"max": MAX_LENGTH, "n": len(text)}
            )
        if text.count("\n") >= MAX_LINES:
            raise forms.ValidationError(
                _("A comment is at most %(max)d lines.") % {"max": MAX_LINES}
            )
        return text
