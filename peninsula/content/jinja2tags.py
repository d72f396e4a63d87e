"""Functions of the reader's pages: breadcrumbs, navigation, article lists, the byline.

Each renders its part once per process for each version of what it shows
(peninsula.core.fragments); the key holds every value the part's template shows.
"""

from jinja2.ext import Extension
from markupsafe import Markup, escape
from wagtail.rich_text import RichText, expand_db_html

from jinja2 import pass_context
from peninsula.content.tree import category_tree
from peninsula.core import fragments
from peninsula.core.text import html_to_text

# How much of the body's start to read when checking whether it opens with the byline.
BYLINE_WINDOW = 500


@pass_context
def breadcrumbs(context, category=None, is_current=False):
    """`breadcrumbs(category)`: 您现在的位置是: site > every category down to this one."""
    trail = []
    if category:
        trail = _tree(context, category.pk).ancestors_and_self(category.pk)
    values = {"site_name": context.get("SITE_NAME", ""), "trail": trail, "is_current": is_current}
    key = (values["site_name"], bool(is_current), tuple((c.pk, c.slug, c.name) for c in trail))
    return fragments.render("includes/breadcrumb.html", values, key)


def _tree(context, category_id):
    """The tree the context processor read for this page, unless it lacks the category."""
    tree = context.get("category_tree")
    if tree is None or category_id not in tree:
        tree = category_tree(must_contain=category_id)
    return tree


def _root_id(context, category):
    """The id of the top-level category above `category`, to mark it in the navigation."""
    if not getattr(category, "pk", None):
        return None
    return _tree(context, category.pk).root_id(category.pk)


@pass_context
def category_menu(context, template_name, current=None):
    """`category_menu("includes/site_nav.html", current=category)`: the navigation (of the
    page's category tree) through that template, which is given `navigation`, `current_root`
    (the top-level category above `current`) and `is_home`."""
    tree = context.get("category_tree")  # none in a page rendered without the site's context
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    values = {
        "navigation": tree.navigation if tree else [],
        "current_root": _root_id(context, current),
        "is_home": getattr(match, "url_name", None) == "home",
    }
    key = (tree.navigation_key if tree else (), values["current_root"], values["is_home"])
    return fragments.render(template_name, values, key)


def article_card(article, eager=False):
    """`article_card(article, eager=loop.first)`: includes/article_card.html for one article (a
    model instance or a listings.ArticleCard row). Its cover picture loads lazily, unless `eager`
    (the first card above the fold, which loads at high priority: it is often the page's largest
    paint)."""
    category = article.category
    key = (
        bool(eager),
        article.cover_image_id,
        article.cover_file_hash,
        article.pk,
        article.title,
        article.excerpt,
        article.language,
        article.published_at,
        article.views,
        article.comments,
        category.slug,
        category.name,
    )
    values = {"article": article, "eager": eager}
    return fragments.render("includes/article_card.html", values, key)


def headlines(template_name, articles, category=None):
    """`headlines("includes/category_block.html", articles, category=category)`: a list of
    article links through that template, which is given `articles` and `category` and may show
    of them only what the key holds: each article's title, language, time and URL, and the
    category's name and URL."""
    key = (
        (category.pk, category.slug, category.name) if category is not None else None,
        tuple((a.pk, a.title, a.language, a.published_at, a.category.slug) for a in articles),
    )
    values = {"articles": articles, "category": category}
    return fragments.render(template_name, values, key)


def opens_with_byline(article):
    """Whether the body already starts with the byline, as imported wire copy usually does."""
    if not article.byline:
        return True
    if article.body.startswith(f"<p>{escape(article.byline)}"):  # the usual form, at a glance
        return True
    return html_to_text(article.body[:BYLINE_WINDOW]).startswith(article.byline)


def richtext(value):
    """`body|richtext`: Wagtail's filter, without the Django template it renders the HTML
    through (`wagtailcore/shared/richtext.html`, which prints it as it is): looking that
    template up and rendering it was 40 µs of an article page."""
    if isinstance(value, RichText):
        return value
    return Markup(expand_db_html("" if value is None else str(value)))


class ContentExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(
            breadcrumbs=breadcrumbs,
            category_menu=category_menu,
            article_card=article_card,
            headlines=headlines,
        )
        environment.filters["opens_with_byline"] = opens_with_byline
        environment.filters["richtext"] = richtext
