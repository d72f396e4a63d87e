"""The word lists screen articles in the admin.

- Saving an article (draft, 送审, 发布) that holds listed words shows a warning naming them and
  their actions: an editor may be reporting on the very subject, so the lists do not rewrite
  articles and do not stop drafts.
- Publishing (发布, or 通过并发布 from the edit page) with a word whose action is "block" is
  refused as a form error on the field that holds it; saving it as a draft still works, so
  nothing typed is lost.
- Collection never publishes a story that holds a word to hold or to block: it waits as a draft
  for an editor (`words_to_review`).
"""

from html import unescape

from django.dispatch import receiver
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from peninsula.content.forms import article_form_cleaned

from .models import Action
from .services import text_screen

FIELDS = ("title", "summary", "body")


def article_text(field, value):
    """A field's text as readers read it (the body without its markup)."""
    value = str(value or "")
    return unescape(strip_tags(value)) if field == "body" else value


def article_screen(values):
    """{field: Screening} for the fields of an article (a mapping of field to value) that
    hold listed words."""
    found = {}
    for field in FIELDS:
        result = text_screen(text=article_text(field, values.get(field)))
        if result.matches:
            found[field] = result
    return found


def words_to_review(values):
    """The listed words, held or blocked, in an article's fields (a mapping of field to value),
    in the order found: a story holding any of them waits for an editor."""
    words = {}
    for result in article_screen(values).values():
        for match in result.matches:
            if match.action in (Action.HOLD, Action.BLOCK):
                words[match.word] = None
    return list(words)


@receiver(article_form_cleaned)
def refuse_publishing_blocked_words(sender, form, publishing, **kwargs):
    if not publishing:
        return
    for field, result in article_screen(form.cleaned_data).items():
        blocked = [m.word for m in result.matches if m.action == Action.BLOCK]
        if blocked:
            form.add_error(
                field,
                _("Holds words that may not be published: %(words)s. Change them, or save a draft.")
                % {"words": "、".join(dict.fromkeys(blocked))},
            )


def warning_for(article):
    """The sentence warning an editor about listed words in `article`, or None."""
    values = {field: getattr(article, field, "") for field in FIELDS}
    labels = dict(Action.choices)
    parts = []
    for result in article_screen(values).values():
        for match in result.matches:
            part = f"{match.word}（{labels[match.action]}）"
            if part not in parts:
                parts.append(part)
    if not parts:
        return None
    return _("This article holds sensitive words: %(words)s.") % {"words": "、".join(parts)}
