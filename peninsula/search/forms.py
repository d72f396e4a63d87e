"""The reader's search form: a query, a category and a date range, all optional."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peninsula.content.models import Category
from peninsula.content.tree import category_tree

from .services import SearchRequest

# Dates outside this range are refused: they cannot be shifted to UTC without overflowing.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


class _CategoriesFromTree(forms.models.ModelChoiceIterator):
    """The choices from the per-process category tree (content.tree), in the queryset's order
    (sort order, id): every search page renders the select, and the tree costs no query.
    A chosen category is still checked against the table."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category in category_tree().by_id.values():
            yield self.choice(category)

    def __len__(self):
        return len(category_tree().by_id) + (self.field.empty_label is not None)


class CategoryField(forms.ModelChoiceField):
    iterator = _CategoriesFromTree

    def __deepcopy__(self, memo):
        """A plain field's copy: Django's also clones the queryset for each form, whose results
        it may cache; this one's is only ever filtered, to check a choice (a quarter of the
        search form's cost)."""
        return forms.Field.__deepcopy__(self, memo)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    category = CategoryField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
        error_messages={"invalid_choice": _("There is no such category.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the start date as YYYY-MM-DD.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the end date as YYYY-MM-DD.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = self.category_label
        self.tree = None

    def category_label(self, category):
        """The category's path ("国际 / 亚太"), from the cached tree: `str()` would read each
        parent with a query of its own, for every category in the list."""
        if self.tree is None:
            self.tree = category_tree()
        chain = self.tree.ancestors_and_self(category.pk)
        return " / ".join(node.name for node in chain) if chain else str(category)

    def category_options(self):
        """(value, label, selected) of each <option> of the 栏目 select, which the page draws
        itself: Django's widget renders every option through templates of its own, a fifth of
        the page's CPU. Selected as the widget would: the submitted value, as typed."""
        chosen = self["category"].value()
        chosen = "" if chosen is None else str(chosen)
        return [
            (str(value), label, str(value) == chosen)
            for value, label in self.fields["category"].choices
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        for day in (start, end):
            if day is not None and not EARLIEST <= day <= LATEST:
                raise forms.ValidationError(
                    _("Dates must fall between %(earliest)s and %(latest)s.")
                    % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
                )
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def to_request(self):
        """The validated search; whole days in the site's time zone, both ends included."""
        data = self.cleaned_data
        return SearchRequest(
            q=data["q"],
            category=data["category"],
            published_from=_day_start(data["date_from"]),
            published_before=_day_start(data["date_to"], days_later=1),
        )


def _day_start(day, *, days_later=0):
    if day is None:
        return None
    day += datetime.timedelta(days=days_later)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
