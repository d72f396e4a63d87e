"""The 敏感词 admin: an administrator lists, adds and imports words; an author cannot."""

import pytest
from django.urls import reverse

from peninsula.content.tests.admin_helpers import ADMINISTRATOR, AUTHOR, PASSWORD, make_user
from peninsula.screening.models import SensitiveWord
from peninsula.screening.services import text_screen

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_screening_sensitiveword:list"
IMPORT = "wagtailsnippets_screening_sensitiveword:import"
ADD = "wagtailsnippets_screening_sensitiveword:add"


@pytest.fixture
def admin_client(client):
    user = make_user("boss", ADMINISTRATOR)
    user.is_superuser = True
    user.save()
    client.login(username="boss", password=PASSWORD)
    return client


def test_an_administrator_adds_a_word_and_it_screens_at_once(admin_client):
    answer = admin_client.post(
        reverse(ADD), {"word": "代开发票", "action": "block", "list_name": "广告", "note": ""}
    )
    assert answer.status_code == 302
    assert text_screen(text="代開發票").blocked
    listing = admin_client.get(reverse(LIST))
    assert "代开发票" in listing.content.decode()
    assert reverse(IMPORT) in listing.content.decode()


def test_a_word_of_punctuation_only_is_refused(admin_client):
    answer = admin_client.post(reverse(ADD), {"word": "*** ", "action": "block"})
    assert answer.status_code == 200
    assert not SensitiveWord.objects.exists()


def test_an_administrator_imports_a_list(admin_client):
    page = admin_client.get(reverse(IMPORT))
    assert page.status_code == 200
    answer = admin_client.post(
        reverse(IMPORT),
        {"words": "# 广告\n加微信\n代开发票\n\n加微信\n", "action": "mask", "list_name": "广告"},
    )
    assert answer.status_code == 302
    assert sorted(SensitiveWord.objects.values_list("word", "action", "list_name")) == [
        ("代开发票", "mask", "广告"),
        ("加微信", "mask", "广告"),
    ]
    assert text_screen(text="请加微信").text == "请＊＊＊"


def test_an_empty_import_is_a_form_error(admin_client):
    answer = admin_client.post(reverse(IMPORT), {"words": " \n# only a comment", "action": "mask"})
    assert answer.status_code == 200
    assert "errorlist" in answer.content.decode() or "error" in answer.content.decode()


def test_an_author_cannot_see_the_lists(client):
    make_user("writer", AUTHOR)
    client.login(username="writer", password=PASSWORD)
    assert client.get(reverse(IMPORT)).status_code in (302, 403)
    assert client.get(reverse(LIST)).status_code in (302, 403)
