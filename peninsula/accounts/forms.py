from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The six-digit code an authenticator app shows; spaces are forgiven, other characters not."""

    token = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(
                _("Enter the 6-digit code shown in your authenticator app.")
            )
        return token
