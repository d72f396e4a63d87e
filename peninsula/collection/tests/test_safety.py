"""Server-side request forgery: sources added in the admin reach public addresses only, at
every hop and for the images of their items; the command line is the operator's and may."""

import pytest
from django.urls import reverse

from peninsula.collection.fetching import Refused, check_address, fetch
from peninsula.collection.models import Feed
from peninsula.collection.services import feed_poll
from peninsula.content.models import Article
from peninsula.ingestion.tests.conftest import png_bytes

from .conftest import STORY, rss

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"],
)  # fmt: skip
def test_private_addresses_are_refused(address):
    with pytest.raises(Refused):
        check_address(address, 80)


def test_public_addresses_pass():
    check_address("93.184.216.34", 443)
    check_address("2606:2800:220:1:248:1893:25c7:1946", 443)


def test_a_guarded_fetch_refuses_loopback_and_a_plain_one_does_not(site):
    url = site.serve("/rss.xml", rss())
    with pytest.raises(Refused):
        fetch(url, guarded=True)
    with pytest.raises(Refused):
        fetch(url.replace("127.0.0.1", "localhost"), guarded=True)
    assert site.requests == []  # refused before a byte was sent
    assert fetch(url, guarded=False).status == 200


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(site, other_site, settings):
    settings.COLLECTION_PRIVATE_ALLOWED = [f"127.0.0.1:{site.port}"]  # the fixture server only
    internal = other_site.serve("/admin/secrets", "secret", content_type="text/plain")
    url = site.redirect("/rss.xml", internal)
    with pytest.raises(Refused):
        fetch(url, guarded=True)
    assert other_site.requests == []


def admin_post(client, category, url, **fields):
    data = {
        "url": url, "name": "", "category": category.pk, "every": "10", "editor": "",
        "link_pattern": "", "enabled": "on", **fields,
    }  # fmt: skip
    return client.post(reverse("wagtailsnippets_collection_feed:add"), data)


def test_the_admin_refuses_a_loopback_source(admin_client, site, category):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    answer = admin_post(admin_client, category, url)
    assert answer.status_code == 200
    assert "loopback, private or link-local" in answer.content.decode()
    assert not Feed.objects.exists() and site.requests == []


def test_the_admin_refuses_a_source_that_redirects_inside(
    admin_client, site, other_site, category, settings
):
    settings.COLLECTION_PRIVATE_ALLOWED = [f"127.0.0.1:{site.port}"]
    inside = other_site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    answer = admin_post(admin_client, category, site.redirect("/go", inside))
    assert "loopback, private or link-local" in answer.content.decode()
    assert not Feed.objects.exists() and other_site.requests == []


def test_a_source_added_in_the_admin_stays_guarded_when_polled(
    admin_client, site, other_site, category, settings
):
    settings.COLLECTION_PRIVATE_ALLOWED = [f"127.0.0.1:{site.port}"]
    image = other_site.serve("/cover.png", png_bytes(), content_type="image/png")
    feed_xml = rss(("g1", "会谈举行", STORY, "https://x.example/1")).replace(
        "</link><description>",
        f'</link><enclosure url="{image}" type="image/png" length="1"/><description>',
    )
    url = site.serve("/rss.xml", feed_xml)
    answer = admin_post(admin_client, category, url, review="on", editor="王编辑")
    assert answer.status_code == 302, answer.content.decode()[:3000]
    feed = Feed.objects.get()
    assert feed.guarded and feed.kind == Feed.Kind.FEED and feed.name == "韩联社中文网"

    poll = feed_poll(feed=feed)
    assert poll.ok and poll.new == 1
    assert "image not stored" in poll.errors and "loopback" in poll.errors
    assert Article.objects.get().cover_image is None and other_site.requests == []

    site.redirect("/rss.xml", other_site.serve("/moved.xml", feed_xml))
    feed.etag = ""
    poll = feed_poll(feed=feed)
    assert not poll.ok and "loopback, private or link-local" in poll.errors
    assert other_site.requests == []
