"""The reader's pages: home, categories, articles, tags, authors and the date archive."""

import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peninsula.core.http import public_page
from peninsula.core.jinja2 import render_page
from peninsula.core.pagination import QuerySetRows, paginate

from . import queries
from .models import Article, Author, Category
from .tree import category_tree


@public_page
def home(request):
    now = timezone.now()
    tree = category_tree()
    return render_page(
        request,
        "content/home.html",
        {
            "latest": queries.home_latest(now=now),
            "blocks": queries.home_blocks(tree, now=now),
        },
    )


@public_page
def category_detail(request, slug):
    category = category_tree().by_slug.get(slug) or get_object_or_404(Category, slug=slug)
    tree = category_tree(must_contain=category.pk)
    return _listing(
        request,
        "content/category_detail.html",
        queries.category_listing(category.pk, now=timezone.now()),
        category=category,
        subcategories=tree.children(category.pk),
        title=category.name,
    )


@public_page
def article_detail(request, category_slug, pk):
    now = timezone.now()
    article = queries.article_for_page(pk, now=now)
    if article is None:
        raise Http404("No such article")
    # One address per article (the one its purges name): /news/039.html or an old category
    # slug answers a redirect to it.
    if escape_uri_path(request.path) != article.get_absolute_url():
        return redirect(article, permanent=True)
    translation = article.translation
    previous, following, related = queries.article_around(article)
    return render_page(
        request,
        "content/article_detail.html",
        {
            "article": article,
            "category": article.category,
            "translation": translation if translation and translation.is_published() else None,
            "previous": previous,
            "next": following,
            "related": related,
        },
    )


@public_page
def tag_detail(request, slug):
    tag = queries.tag_by_slug(slug)
    if tag is None:
        raise Http404("No such tag")
    rows = queries.tag_listing(tag.pk, now=timezone.now())
    return _listing(request, "content/tag_detail.html", rows, tag=tag, title=tag.name)


@public_page
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    articles = _rows(Article.objects.published().filter(authors=author))
    return _listing(
        request, "content/author_detail.html", articles, author=author, title=author.name
    )


@public_page
def archive_year(request, year):
    year = int(year)
    articles = _published_between(_local_datetime(year, 1), _local_datetime(year + 1, 1))
    title = _("Year %(year)d") % {"year": year}
    return _listing(request, "content/archive.html", _rows(articles), title=title)


@public_page
def archive_month(request, year, month):
    if len(month) == 1:
        return redirect("content:archive-month", year=year, month=f"0{month}", permanent=True)
    year, month = int(year), int(month)
    if not 1 <= month <= 12:
        raise Http404("No such month")
    start = _local_datetime(year, month)
    end = _local_datetime(year + month // 12, month % 12 + 1)
    title = date_format(start, "YEAR_MONTH_FORMAT")
    articles = _rows(_published_between(start, end))
    return _listing(request, "content/archive.html", articles, title=title)


def _local_datetime(year, month):
    """Midnight on the first of the month in the site's time zone."""
    if not datetime.MINYEAR < year < datetime.MAXYEAR:
        raise Http404("No such year")
    return timezone.make_aware(datetime.datetime(year, month, 1))


def _published_between(start, end):
    return Article.objects.published().filter(published_at__gte=start, published_at__lt=end)


def _rows(articles):
    return QuerySetRows(articles.cards(), key=articles.listing_key)


def _listing(request, template, rows, **context):
    page = paginate(rows, request.GET, per_page=settings.PENINSULA_PAGE_SIZE)
    return render_page(request, template, {"page": page, "articles": page.items, **context})
