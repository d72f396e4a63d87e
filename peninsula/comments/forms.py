"""The reader's comment form: the same fields from the page's script (JSON) and from the plain
form of the comments page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peninsula.content.models import MAX_ID
from peninsula.screening.abuse import ProtectedForm

from .text import MAX_LENGTH, MAX_LINES, plain_text

NAME_MAX_LENGTH = 50


def account_name(user):
    """The name a signed-in reader's comments carry: the display name of the account (readers
    cannot change it per comment), else the username."""
    return (user.get_full_name() or user.get_username())[:NAME_MAX_LENGTH]


class CommentForm(ProtectedForm):
    """With the screening's honeypot and, when switched on, its captcha (`captcha_0`, the key
    from `/captcha/new/`, and `captcha_1`, the answer)."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH, required=False)
    email = forms.EmailField(
        label=_("Email (optional, never shown)"), max_length=254, required=False
    )
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))
    parent = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    def __init__(self, *args, user=None, **kwargs):
        """`user`: the account the comment is posted under (`Rules.account`), or None."""
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        if self.user is not None:
            return account_name(self.user)
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please give a name."))
        return name

    def clean_email(self):
        if self.user is not None:
            return self.user.email
        return self.cleaned_data["email"]

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
