"""The sign-up and sign-in forms: Django's own, with the screening's protections on sign-up."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from peninsula.comments.forms import NAME_MAX_LENGTH
from peninsula.screening.abuse import ProtectedForm
from peninsula.screening.services import text_screen


class SignupForm(UserCreationForm, ProtectedForm):
    """Username, display name (what comments show), optional email and a password that passes
    `AUTH_PASSWORD_VALIDATORS`; with the honeypot and, when on, the captcha."""

    first_name = forms.CharField(
        label=_("Display name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Shown with your comments; it cannot be changed per comment."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(label=_("Email (optional, never shown)"), required=False)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "email")
        help_texts = {"username": _("For signing in: letters, digits and @/./+/-/_ only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Please give a display name."))
        _screened(name)
        return name

    def clean_username(self):
        username = super().clean_username()
        if username:
            _screened(username)
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists."))
        return email


def _screened(name):
    """A name shown to every reader takes no listed word at all, masked or held: an account has
    no review queue to wait in."""
    if text_screen(text=name).matches:
        raise forms.ValidationError(_("This name contains words this site does not publish."))


class SigninForm(AuthenticationForm):
    """Django's sign-in form; django-axes counts its failures as it does the admin's."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username and password do not match an account."),
    }
