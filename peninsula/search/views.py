"""The public search page."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render

from .forms import SearchForm
from .services import articles_search

# Ranked results are read by OFFSET; nobody reads past this page, so it is not offered.
MAX_PAGES = 50


def search_results(request):
    """Parse the form, search, render; bad input becomes a message on the page."""
    form = SearchForm(request.GET)
    query, page = None, None
    if form.is_valid():
        query, results = articles_search(request=form.to_request())
        paginator = Paginator(results, settings.PENINSULA_PAGE_SIZE)
        try:
            number = paginator.validate_number(request.GET.get("page") or 1)
            if number > MAX_PAGES:
                raise InvalidPage
            page = paginator.page(number)
        except InvalidPage:
            raise Http404("No such page of results.") from None
    context = {"form": form, "query": query, "page_obj": page}
    return render(request, "search/search_results.html", context)
