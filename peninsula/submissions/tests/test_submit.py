"""投稿: a reader's story lands in review as a draft, its sender seen only by editors; the
form is protected by the honeypot, the limits, the captcha and the word lists."""

import pytest
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from wagtail.models import WorkflowState

from peninsula.content.models import Article
from peninsula.content.services import article_publish
from peninsula.core.http import is_public_page
from peninsula.screening.models import ScreeningSettings, SensitiveWord
from peninsula.submissions.models import Submission

from .conftest import picture, story

pytestmark = pytest.mark.django_db

URL = "/tougao/"


def test_the_form_page_is_never_shared_through_the_cache(client, category):
    page = client.get(URL)
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.text
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert not is_public_page(resolve(URL).func)
    assert "pv" in page.cookies  # a visitor cookie, so that its posts are counted apart


def test_the_footer_links_to_the_form(client, category):
    assert f'href="{URL}"' in client.get("/").text


def test_a_story_lands_in_review_with_its_sender_apart(client, category):
    images = [picture("a.png"), picture("b.jpg", kind="JPEG")]
    answer = client.post(URL, story(images=images), REMOTE_ADDR="10.1.2.3")
    assert answer.status_code == 302 and answer["Location"] == reverse("submissions:thanks")
    assert "谢谢" in client.get(answer["Location"]).text
    article = Article.objects.get()
    assert article.title == "小区门口的路灯坏了三个月"
    assert not article.live and article.owner is None and article.byline == ""
    assert article.category == category
    assert "<p>我们小区门口的路灯已经坏了三个月，晚上出行很不方便。</p>" in article.body
    assert article.cover_image is not None  # the first picture; the second follows the text
    assert article.body.count('embedtype="image"') == 1
    assert f'id="{article.cover_image.pk + 1}"' in article.body
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    submission = Submission.objects.get()
    assert (submission.name, submission.contact, submission.address) == (
        "张三",
        "13800001234",
        "10.1.2.3",
    )
    for field in ("title", "summary", "body", "byline", "excerpt"):
        assert "张三" not in getattr(article, field)
        assert "13800001234" not in getattr(article, field)


def test_the_sender_is_not_on_public_pages_or_the_api(client, category):
    client.post(URL, story(name="隐名读者", contact="secret@example.com"))
    article = Article.objects.get()
    article_publish(article=article)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and "路灯" in page.text
    api = client.get(f"/api/v1/articles/{article.pk}")
    assert api.status_code == 200
    for answer in (page, api, client.get("/"), client.get("/feeds/latest.xml")):
        assert "隐名读者" not in answer.content.decode()
        assert "secret@example.com" not in answer.content.decode()


def test_a_filled_honeypot_stores_nothing_and_looks_like_success(client, category):
    answer = client.post(URL, story(website="http://spam.example"))
    assert answer.status_code == 302
    assert not Article.objects.exists() and not Submission.objects.exists()


def test_too_many_stories_from_one_address_get_429(client, category, settings, window_start):
    settings.PENINSULA_ABUSE_RATES = {
        "submission": {"address": ["3/h"], "visitor": ["2/h"]},
    }
    codes = []
    for _ in range(5):
        client.cookies.clear()  # a script drops its cookies; its address still counts
        codes.append(client.post(URL, story(), REMOTE_ADDR="10.9.9.9").status_code)
    assert codes == [302, 302, 302, 429, 429]
    refused = client.post(URL, story(), REMOTE_ADDR="10.9.9.9")
    assert int(refused["Retry-After"]) > 0
    assert "请" in refused.text and "后再试" in refused.text
    assert Article.objects.count() == 3
    assert client.post(URL, story(), REMOTE_ADDR="10.9.9.10").status_code == 302


def test_one_visitor_is_limited_within_its_address(client, category, settings, window_start):
    settings.PENINSULA_ABUSE_RATES = {
        "submission": {"address": ["10/h"], "visitor": ["2/h"]},
    }
    client.get(URL)  # the visitor cookie
    codes = [client.post(URL, story()).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_the_captcha_when_switched_on(client, category):
    row = ScreeningSettings.load()
    row.captcha_enabled = True
    row.save()
    page = client.get(URL)
    assert "/captcha/image/" in page.text
    key = CaptchaStore.generate_key()
    wrong = client.post(URL, story(captcha_0=key, captcha_1="nope"))
    assert wrong.status_code == 400 and not Article.objects.exists()
    key = CaptchaStore.generate_key()
    right = CaptchaStore.objects.get(hashkey=key).response
    assert client.post(URL, story(captcha_0=key, captcha_1=right)).status_code == 302
    assert Article.objects.count() == 1


def test_listed_words(client, category):
    SensitiveWord.objects.create(word="赌博", action="block")
    SensitiveWord.objects.create(word="广告", action="mask")
    blocked = client.post(URL, story(text="这里有网上賭 博的门路，联系我就告诉你怎么玩。"))
    assert blocked.status_code == 400 and not Article.objects.exists()
    text = "小区里到处贴着广告，物业也不管，希望曝光。"
    client.post(URL, story(title="小区里的小广告", text=text))
    article = Article.objects.get()
    assert article.title == "小区里的小＊＊" and "贴着＊＊" in article.body
    assert Submission.objects.get().words == ["广告"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([picture(f"{n}.png") for n in range(4)], "最多"),
        ([SimpleUploadedFile("fake.png", b"<script>alert(1)</script>", "image/png")], "图片"),
        ([picture("big.bmp", kind="BMP")], "JPEG"),
    ],
)
def test_pictures_are_checked(client, category, files, message):
    answer = client.post(URL, story(images=files))
    assert answer.status_code == 400
    assert message in answer.text
    assert not Article.objects.exists()


def test_a_picture_over_the_size_limit_is_refused(client, category, settings):
    settings.SUBMISSION_IMAGE_MAX_BYTES = 1000
    answer = client.post(URL, story(images=[picture(size=(400, 400))]))
    assert answer.status_code == 400 and not Article.objects.exists()


def test_a_bad_form_keeps_what_was_typed(client, category):
    answer = client.post(URL, story(text="太短"))
    assert answer.status_code == 400
    assert "小区门口的路灯坏了三个月" in answer.text and "13800001234" in answer.text


def test_without_categories_the_form_is_closed(client, db):
    assert client.get(URL).status_code == 404
