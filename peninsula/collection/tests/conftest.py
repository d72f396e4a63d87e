import pytest

from peninsula.collection import fetching
from peninsula.content.tests.factories import CategoryFactory
from peninsula.ingestion.tests.conftest import LoopbackSite


class FeedSite(LoopbackSite):
    """The loopback server, answering with RSS unless told otherwise."""

    default_type = "application/rss+xml"


@pytest.fixture(autouse=True)
def fresh_robots():
    """Each test reads robots.txt anew (the collector keeps it an hour)."""
    fetching._robots.clear()
    yield
    fetching._robots.clear()


@pytest.fixture
def site():
    server = FeedSite()
    yield server
    server.stop()


@pytest.fixture
def other_site():
    """A second server: another host as far as per-host limits and redirects go."""
    server = FeedSite()
    yield server
    server.stop()


@pytest.fixture
def category(db):
    return CategoryFactory(name="国际", slug="world")


def rss(*items, title="韩联社中文网", link="https://cn.yna.example/"):
    """An RSS 2.0 feed of (guid, title, body, link) items."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{head}</title><link>{url}</link>"
        f"<description><![CDATA[{body}]]></description>"
        f"<pubDate>Sun, 22 Sep 2024 01:36:59 +0900</pubDate></item>"
        for guid, head, body, url in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>{link}</link>{entries}</channel></rss>"
    )


STORY = (
    "<p>据韩联社报道，韩国和朝鲜代表周五在板门店举行会谈，双方就恢复离散家属团聚活动、"
    "重启开城工业园区以及缓和军事紧张局势等议题交换了意见。</p>"
    "<p>韩国统一部发言人表示，会谈在建设性的气氛中进行，双方同意下月再次举行工作层面的"
    "磋商，以落实领导人会晤时达成的共识。分析人士认为，这是半岛局势缓和的积极信号。</p>"
)
STORY_EDITED = STORY.replace("据韩联社报道，", "新华社首尔电，").replace(
    "分析人士认为", "有专家指出"
)
OTHER_STORY = (
    "<p>国家统计局今天发布数据显示，前八个月全国规模以上工业增加值同比增长百分之五点八，"
    "其中高技术制造业增长较快，装备制造业对工业增长的贡献率继续提高。</p>"
    "<p>统计局新闻发言人表示，国民经济延续恢复向好态势，但外部环境依然复杂严峻，"
    "国内需求仍显不足，经济回升基础还需进一步巩固。</p>"
)
