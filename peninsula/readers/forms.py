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
    """Django's sign-in form, taking the username or the email of the account; django-axes
    counts its failures (per account and address) as it does the admin's."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or email and password do not match an account."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or email")

    def clean(self):
        identifier = self.cleaned_data.get("username")
        if identifier and "@" in identifier:
            self.cleaned_data["username"] = username_for_email(identifier)
        return super().clean()


def username_for_email(identifier):
    """The username of the one account with this email, unless a username is spelled so (a
    username may hold "@"); else the identifier itself, which then fails as a username."""
    users = get_user_model().objects
    if users.filter(username=identifier).exists():
        return identifier
    names = list(users.filter(email__iexact=identifier).values_list("username", flat=True)[:2])
    return names[0] if len(names) == 1 else identifier
