"""The category tree, read in one query and kept in each process for every page that needs it.

Navigation, breadcrumbs and "this category and everything below it" would otherwise cost a query
per level on every request. The tree is small (tens or hundreds of categories), so it is read
whole; saving a category forgets it here (see signals.py), and in other processes when the page
cache applies the purge that the save causes (docs/caching.md).
"""

from collections import defaultdict
from functools import cached_property

from peninsula.core.memo import Memo

from .models import Category

_memo = Memo(timeout=60)


class CategoryTree:
    def __init__(self, categories):
        self.by_id = {c.pk: c for c in categories}
        self.by_slug = {c.slug: c for c in categories}
        self._children = defaultdict(list)
        for category in sorted(categories, key=lambda c: (c.sort_order, c.pk)):
            self._children[category.parent_id].append(category)

    def __contains__(self, category_id):
        return category_id in self.by_id

    def children(self, category_id):
        return self._children.get(category_id, [])

    def roots(self):
        return self.children(None)

    def ancestors_and_self(self, category_id):
        """The chain from the top-level category down to this one."""
        chain, node = [], self.by_id.get(category_id)
        while node is not None and len(chain) <= len(self.by_id):
            chain.append(node)
            node = self.by_id.get(node.parent_id)
        return chain[::-1]

    def root_id(self, category_id):
        chain = self.ancestors_and_self(category_id)
        return chain[0].pk if chain else None

    def descendant_ids(self, category_id):
        """This category's id and those of every category below it."""
        ids, frontier = [category_id], [category_id]
        while frontier:
            frontier = [child.pk for pk in frontier for child in self.children(pk)]
            ids.extend(frontier)
        return ids

    # A tree is never changed once read (a change reads a new one), so what it gives every page
    # is worked out once per tree.
    @cached_property
    def navigation(self):
        """Top-level categories shown in the navigation, each with its shown children."""
        return [
            (root, [child for child in self.children(root.pk) if child.in_navigation])
            for root in self.roots()
            if root.in_navigation
        ]

    @cached_property
    def navigation_key(self):
        """What the navigation shows of each category, for a fragment's key."""
        return tuple(
            (root.pk, root.slug, root.name, tuple((c.pk, c.slug, c.name) for c in children))
            for root, children in self.navigation
        )


def category_tree(*, must_contain=None):
    """The tree, read again when it lacks `must_contain` (made by another process)."""
    tree = _memo.get(None, _load)
    if must_contain is not None and must_contain not in tree:
        _memo.forget(None)
        tree = _memo.get(None, _load)
    return tree


def _load():
    return CategoryTree(list(Category.objects.order_by("sort_order", "id")))


def category_tree_forget():
    _memo.clear()
