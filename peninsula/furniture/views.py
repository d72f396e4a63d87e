"""A static page (关于我们, 联系我们, 免责声明, 版权声明)."""

from django.shortcuts import get_object_or_404

from peninsula.core.http import public_page
from peninsula.core.jinja2 import render_page

from .models import StaticPage


@public_page
def page_detail(request, slug):
    page = get_object_or_404(StaticPage, slug=slug)
    return render_page(request, "furniture/page_detail.html", {"static_page": page})
