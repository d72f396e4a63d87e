"""Admin forms: the article editor, the category form, the snippet choosers, the image form with
required alt text, and tags split as Chinese editors type them (docs/newsroom.md)."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, When
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from taggit.utils import _parse_tags
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.images.forms import BaseImageForm
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from peninsula.core.forms import AdminModelForm, SnippetChooser
from peninsula.core.html import sanitize_rich_text

from .models import ArticleAuthor, Category, ImageDetails

# Full-width comma, enumeration comma and semicolons separate tags as "," does.
TAG_SEPARATORS = re.compile(r"[，、；;]")


def split_tags(text):
    """Taggit's parser (TAGGIT_TAGS_FROM_STRING), with the separators a Chinese keyboard types:
    "港口，航运、东南亚" is three tags."""
    return _parse_tags(TAG_SEPARATORS.sub(",", text))


class MinuteDateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker, to the minute (Wagtail's lists whole hours)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": 60, **(attrs or {})}, format="%Y-%m-%dT%H:%M")


# Times an editor sets: publication, and the scheduled go-live and expiry.
MINUTE_FIELDS = ("published_at", "go_live_at", "expire_at")


def language_choices(current=None):
    """The 语言 list; an article's tag that is not in it (an import's) stays choosable."""
    choices = list(settings.ARTICLE_LANGUAGES)
    if current and current not in dict(choices):
        choices.append((current, current))
    return choices


# Sent by ArticleForm.clean with `form` and `publishing` (发布 or 通过并发布 pressed), so that other
# apps check the text without content importing them: screening refuses publishing blocked words.
article_form_cleaned = Signal()


class ArticleForm(AdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new article is the writer's own: 作者 starts with their Author, credited for the
        # text (issue: editors typed their own name into every story).
        author = getattr(self.for_user, "author_profile", None) if self.for_user else None
        credits = getattr(self, "formsets", {}).get("credits")
        new = self.instance.pk is None and not self.is_bound
        if author is not None and new and credits is not None:
            credits.extra = 1
            credits.initial_extra = [{"author": author.pk, "role": ArticleAuthor.Role.WRITER}]
        for name in MINUTE_FIELDS:
            if name in self.fields:
                self.fields[name].widget = MinuteDateTimeInput()
        if "language" in self.fields:
            field = self.fields["language"]
            current = self.initial.get("language") or self.instance.language
            self.fields["language"] = forms.ChoiceField(
                label=field.label,
                choices=language_choices(current),
                initial=field.initial,
                help_text="",
            )

    @property
    def is_publishing(self):
        return "action-publish" in self.data or self.data.get("workflow-action-name") == "approve"

    def clean(self):
        data = super().clean()
        article_form_cleaned.send(sender=type(self), form=self, publishing=self.is_publishing)
        return data

    def is_valid(self):
        # Checked here, after the formsets: an author is credited once per article (the
        # queries of an author's articles join through the credits).
        valid = super().is_valid()
        credits = self.formsets.get("credits") if valid else None
        seen = set()
        for form in credits.forms if credits is not None else ():
            data = getattr(form, "cleaned_data", None) or {}
            author = data.get("author")
            if author is None or data.get("DELETE"):
                continue
            if author.pk in seen:
                form.add_error("author", _("%(name)s is already credited.") % {"name": author})
                valid = False
            seen.add(author.pk)
        return valid

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
    """Wagtail's image form with the description required (it is the image's alt text), and
    the caption (图注) and credit (摄影) readers see under the image (models.ImageDetails)."""

    caption = forms.CharField(
        label=_("Caption"),
        max_length=500,
        required=False,
        help_text=_("Shown under the image wherever it appears (图注)."),
    )
    credit = forms.CharField(
        label=_("Photographer"),
        max_length=200,
        required=False,
        help_text=_("Who took the picture or holds its rights (摄影)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = _("Alt text")
            field.help_text = _("Describe the image for readers who cannot see it.")
        if self.instance.pk:
            details = ImageDetails.objects.filter(image=self.instance).first()
            if details is not None:
                self.initial.setdefault("caption", details.caption)
                self.initial.setdefault("credit", details.credit)

    def save(self, commit=True):
        # Wagtail's upload view saves the image itself (commit=False, then image.save()):
        # the details travel on the instance and a post_save receiver writes them (signals.py).
        self.instance.pending_details = (
            self.cleaned_data.get("caption", ""),
            self.cleaned_data.get("credit", ""),
        )
        return super().save(commit=commit)


class CategoryForm(AdminModelForm):
    """The slug may be left empty: Category.save() makes it from the name, in pinyin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Used in the category's URL. Left empty, it is made from the name in pinyin."
            )


class ChooserViewSet(SnippetChooserViewSet):
    base_widget_class = SnippetChooser


class NameSearchForm(BaseFilterForm):
    """A chooser's search box: the rows whose name or slug holds what was typed."""

    placeholder = ""
    q = forms.CharField(label=_("Search term"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = self.placeholder

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.filter(Q(name__icontains=query) | Q(slug__icontains=query))
        return objects


class CategorySearchForm(NameSearchForm):
    placeholder = _("Search categories by name")


class CategoryTreeMixin:
    """The 栏目 picker as a tree: each category under its parent, siblings in navigation order,
    each named by its path (国际 / 亚洲); a search keeps that order."""

    filter_form_class = CategorySearchForm

    def get_object_list(self):
        children, rows = {}, Category.objects.values_list("pk", "parent_id", "sort_order")
        for pk, parent_id, sort_order in rows:
            children.setdefault(parent_id, []).append((sort_order, pk))
        order, stack = [], sorted(children.get(None, []), reverse=True)
        while stack:
            _sort_order, pk = stack.pop()
            order.append(pk)
            stack.extend(sorted(children.get(pk, []), reverse=True))
        tree_order = Case(*(When(pk=pk, then=n) for n, pk in enumerate(order)), default=len(order))
        return Category.objects.select_related("parent__parent__parent").order_by(tree_order, "pk")

    def apply_object_list_ordering(self, objects):
        return objects


class CategoryChooseView(CategoryTreeMixin, ChooseView):
    pass


class CategoryChooseResultsView(CategoryTreeMixin, ChooseResultsView):
    pass


class CategoryChooserViewSet(ChooserViewSet):
    choose_view_class = CategoryChooseView
    choose_results_view_class = CategoryChooseResultsView


class AuthorSearchForm(NameSearchForm):
    placeholder = _("Search authors by name")


class AuthorChooseView(ChooseView):
    filter_form_class = AuthorSearchForm


class AuthorChooseResultsView(ChooseResultsView):
    filter_form_class = AuthorSearchForm


class AuthorChooserViewSet(ChooserViewSet):
    """The 作者 picker of the article form: authors by name, searched by name as typed."""

    choose_view_class = AuthorChooseView
    choose_results_view_class = AuthorChooseResultsView
