"""`search_form(form)`: the search page's form."""

from jinja2.ext import Extension

from peninsula.content.tree import category_tree
from peninsula.core import fragments


def search_form(form):
    """The form (search/includes/form.html), rendered once per process for each version of what
    it shows besides what was typed (peninsula.core.fragments): the categories (the tree of
    this request; a changed tree is a new object), the category chosen, the fields with errors
    and which dates were given. The words and dates typed are filled in. Its 栏目 select and
    its fields' labels and ids were half the page's template time."""
    typed = {name: form[name].value() for name in ("q", "category", "date_from", "date_to")}
    key = (
        category_tree(),
        "" if typed["category"] is None else str(typed["category"]),
        tuple(sorted(form.errors)),
        typed["date_from"] is None,
        typed["date_to"] is None,
    )
    fill = {
        "q": typed["q"] or "",
        "date_from": typed["date_from"] or "",
        "date_to": typed["date_to"] or "",
    }
    return fragments.render("search/includes/form.html", lambda: {"form": form}, key, fill=fill)


class SearchExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["search_form"] = search_form
