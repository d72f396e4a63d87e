"""The providers whose players an article may embed: how each one's page address becomes its
player's address, and the origin its frames come from (what the CSP allows).

Players are built from the address alone, never fetched (no oEmbed request): an editor's paste
makes no network call, and a body imported with an embed renders the same offline.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    origin: str  # where the player's frame comes from
    hosts: frozenset
    player: object  # (split url) -> player address, or None when the page is not a video

    def player_url(self, url):
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https"):
            return None
        host = (parts.hostname or "").lower()
        if host not in self.hosts:
            return None
        return self.player(parts)


_ID = re.compile(r"^[\w-]{4,64}$")


def _youtube(parts):
    query = parse_qs(parts.query)
    if parts.hostname == "youtu.be":
        video = parts.path.strip("/")
    elif parts.path == "/watch":
        video = query.get("v", [""])[0]
    else:
        match = re.match(r"^/(?:embed|shorts|live)/([\w-]+)", parts.path)
        video = match[1] if match else ""
    return f"https://www.youtube-nocookie.com/embed/{video}" if _ID.match(video) else None


def _vimeo(parts):
    match = re.match(r"^/(?:video/)?(\d{3,12})(?:/|$)", parts.path)
    return f"https://player.vimeo.com/video/{match[1]}" if match else None


def _bilibili(parts):
    match = re.match(r"^/video/(BV[0-9A-Za-z]{10})(?:/|$)", parts.path)
    if not match:
        return None
    return f"https://player.bilibili.com/player.html?bvid={match[1]}&autoplay=0"


def _youku(parts):
    match = re.match(r"^/v_show/id_([\w=]+)\.html$", parts.path)
    return f"https://player.youku.com/embed/{match[1]}" if match else None


def _tencent(parts):
    match = re.match(r"^/x/(?:cover/[\w]+/|page/)([\w]+)\.html$", parts.path)
    if not match:
        return None
    return f"https://v.qq.com/txp/iframe/player.html?vid={match[1]}&autoplay=false"


PROVIDERS = {
    p.key: p
    for p in (
        Provider(
            "youtube",
            "YouTube",
            "https://www.youtube-nocookie.com",
            frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}),
            _youtube,
        ),
        Provider("vimeo", "Vimeo", "https://player.vimeo.com", frozenset({"vimeo.com"}), _vimeo),
        Provider(
            "bilibili",
            _("Bilibili"),
            "https://player.bilibili.com",
            frozenset({"www.bilibili.com", "bilibili.com", "m.bilibili.com"}),
            _bilibili,
        ),
        Provider(
            "youku", _("Youku"), "https://player.youku.com", frozenset({"v.youku.com"}), _youku
        ),
        Provider(
            "tencent",
            _("Tencent Video"),
            "https://v.qq.com",
            frozenset({"v.qq.com"}),
            _tencent,
        ),
    )
}
PROVIDER_CHOICES = [(p.key, p.name) for p in PROVIDERS.values()]


def match(url, allowed):
    """(provider, player address) for a page of one of the `allowed` providers, else None."""
    for key in allowed:
        provider = PROVIDERS.get(key)
        player = provider.player_url(url) if provider else None
        if player:
            return provider, player
    return None
