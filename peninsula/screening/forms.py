"""The administrator's bulk entry of words: one per line, pasted or from a file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action
from .services import parse_words

MAX_WORDS = 100_000


class WordsImportForm(forms.Form):
    words = forms.CharField(
        label=_("Words, one per line"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
    )
    file = forms.FileField(
        label=_("Or a text file (UTF-8), one word per line"),
        required=False,
    )
    action = forms.ChoiceField(label=_("Action"), choices=Action.choices, initial=Action.HOLD)
    list_name = forms.CharField(
        label=_("List"), max_length=50, required=False, help_text=_("For example 广告 or 政治.")
    )
    replace = forms.BooleanField(
        label=_("Also change the action and list of words already listed"), required=False
    )

    def clean(self):
        data = super().clean()
        text = data.get("words") or ""
        upload = data.get("file")
        if upload:
            try:
                text += "\n" + upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
                return data
        words = parse_words(text)
        if not words:
            raise forms.ValidationError(_("Enter at least one word."))
        if len(words) > MAX_WORDS:
            raise forms.ValidationError(_("At most %(n)d words at a time.") % {"n": MAX_WORDS})
        too_long = [word for word in words if len(word) > 100]
        if too_long:
            raise forms.ValidationError(
                _("A word has at most 100 characters: %(word)s…") % {"word": too_long[0][:20]}
            )
        data["parsed"] = words
        return data
