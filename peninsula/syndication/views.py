"""Sitemap sections and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import render
from django.urls import reverse

from peninsula.core.http import public_page
from peninsula.syndication.sitemaps import SITEMAPS


@public_page
def sitemap_index(request):
    return sitemap_views.index(
        request,
        sitemaps=SITEMAPS,
        template_name="syndication/sitemap_index.xml",
        sitemap_url_name="syndication:sitemap-section",
    )


@public_page
def sitemap_section(request, section):
    """One section, paged with ?p=; the News section has its own XML namespace and template."""
    template = "syndication/news_sitemap.xml" if section == "news" else "syndication/sitemap.xml"
    return sitemap_views.sitemap(
        request, sitemaps=SITEMAPS, section=section, template_name=template
    )


@public_page
def robots_txt(request):
    sitemaps = [
        request.build_absolute_uri(reverse("syndication:sitemap")),
        request.build_absolute_uri(reverse("syndication:sitemap-section", args=["news"])),
    ]
    return render(
        request,
        "syndication/robots.txt",
        {"sitemaps": sitemaps},
        content_type="text/plain; charset=utf-8",
    )
