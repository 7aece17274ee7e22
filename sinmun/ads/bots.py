"""Known robots, whose views and clicks are not counted (their banners still work).

Matched on the User-Agent, case-insensitively: the generic words crawlers use (bot, crawl,
spider), the Korean portals' crawlers (Naver's Yeti, Daum's Daumoa), link-preview fetchers
(KakaoTalk, Facebook, Slack), headless browsers and HTTP libraries. An empty User-Agent is a
robot too. A robot that pretends to be a browser is not caught by this list.
"""

import re

_ROBOT = re.compile(
    r"bot|crawl|spider|slurp|yeti|daumoa|daum\.net|kakaotalk-scrap|facebookexternalhit"
    r"|preview|headlesschrome|phantomjs|lighthouse|python-requests|python-urllib|aiohttp"
    r"|httpx|curl|wget|go-http-client|okhttp|java/|libwww|scrapy|monitor|uptime",
    re.IGNORECASE,
)


def is_robot(user_agent: str | None) -> bool:
    return not user_agent or not user_agent.strip() or bool(_ROBOT.search(user_agent))
