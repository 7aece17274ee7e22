"""Who is a reader, which domain a reader came from, the reader's daily key."""

from datetime import UTC, datetime

import pytest

from sinmun.audience import counting

READERS = [
    # Chrome on Windows, Samsung Internet, Safari on iPhone, the Naver, Daum and KakaoTalk apps.
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0 Mobile Safari/537.36 NAVER(inapp; search; 2000; 12.8.4)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 DaumApps/8.2.0 DaumDevice/mobile",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 "
    "Mobile Safari/537.36 KAKAOTALK 10.8.0",
    # Not a bare "Mozilla/<version>": something follows it.
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    # A phone whose model name holds "bot".
    "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36",
]

CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html) Chrome/131.0.6778.204 Safari/537.36",
    "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)",
    "Mozilla/5.0 (compatible; Daum/4.1; +http://cs.daum.net/faq/15/4118.html?faqId=28966)",
    "Mozilla/5.0 (compatible; Daumoa/4.0; +http://ws.daum.net/)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "kakaotalk-scrap/1.0; +https://devtalk.kakao.com/",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Python-urllib/3.11",
    "Go-http-client/1.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0",
    "Mozilla/4.0 ",
    "",
    "   ",
]


@pytest.mark.parametrize("agent", READERS)
def test_browsers_and_korean_apps_are_readers(agent):
    assert not counting.is_crawler(agent)
    assert counting.refusal(public_id="abcd2345", user_agent=agent, headers={}) is None


@pytest.mark.parametrize("agent", CRAWLERS)
def test_crawlers_previews_and_programs_are_not_readers(agent):
    assert counting.is_crawler(agent)
    assert counting.refusal(public_id="abcd2345", user_agent=agent, headers={}) == (
        counting.NOT_A_READER
    )


@pytest.mark.parametrize("token", counting.CRAWLER_TOKENS)
def test_every_crawler_token_is_found_anywhere_in_any_case(token):
    # The tokens are tested by an expression built from the list (``_any_of``): each of them,
    # not only the first or the last, must still be found, in a reader's string's middle or end.
    reader = READERS[0]
    assert not counting.is_crawler(reader)
    assert counting.is_crawler(f"{reader} {token.upper()}/1.0")
    assert counting.is_crawler(reader.replace("(KHTML", f"({token.title()}; KHTML"))


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Purpose": "prefetch"},
        {"Sec-Purpose": "prefetch;prerender"},
        {"Purpose": "prefetch"},
        {"X-Purpose": "preview"},
        {"X-Moz": "prefetch"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_prefetches_previews_and_other_sites_are_not_views(headers):
    assert counting.refusal(public_id="abcd2345", user_agent=READERS[0], headers=headers) == (
        counting.NOT_A_READER
    )


def test_same_origin_beacon_is_a_view():
    headers = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "no-cors"}
    assert counting.refusal(public_id="abcd2345", user_agent=READERS[0], headers=headers) is None


@pytest.mark.parametrize("public_id", ["", "A!", "abc", "x" * 17, "../../etc", "abcd 2345"])
def test_a_malformed_article_id_is_refused(public_id):
    assert counting.refusal(public_id=public_id, user_agent=READERS[0], headers={}) == (
        counting.NOT_AN_ARTICLE
    )


@pytest.mark.parametrize(
    ("referrer", "domain"),
    [
        ("https://m.search.naver.com/search.naver?query=x", "naver.com"),
        ("https://search.naver.com/", "naver.com"),
        ("https://v.daum.net/v/2026", "daum.net"),
        ("https://www.google.com/", "google.com"),
        ("https://www.google.co.kr/", "google.co.kr"),
        ("https://news.example.co.kr/a/1", "example.co.kr"),
        ("", "direct"),
        ("https://saenaru.example/section/politics/", "internal"),
        ("https://m.saenaru.example/", "internal"),
        ("not a url", "direct"),
        ("https://exa mple.com/", "other"),
        ("http://[::1", "other"),
    ],
)
def test_referrer_domains(referrer, domain):
    assert counting.referrer_domain(referrer, "saenaru.example:443") == domain


def test_reader_key_depends_on_salt_address_agent_and_article():
    base = {
        "salt": b"s" * 32,
        "address": "203.0.113.7",
        "user_agent": "UA",
        "public_id": "ab12cd34",
    }
    key = counting.reader_key(**base)
    assert len(key) == 8
    assert counting.reader_key(**base) == key
    for field, other in [
        ("salt", b"t" * 32),
        ("address", "203.0.113.8"),
        ("user_agent", "UA2"),
        ("public_id", "ab12cd35"),
    ]:
        assert counting.reader_key(**{**base, field: other}) != key
    assert b"203.0.113.7" not in key


def test_the_day_turns_at_midnight_in_seoul():
    assert counting.day_of(datetime(2026, 12, 6, 14, 59, tzinfo=UTC)) == "2026-12-06"
    assert counting.day_of(datetime(2026, 12, 6, 15, 0, tzinfo=UTC)) == "2026-12-07"
    end = counting.day_end(datetime(2026, 12, 6, 3, 0, tzinfo=UTC))
    assert end == int(datetime(2026, 12, 6, 15, 0, tzinfo=UTC).timestamp())


def test_buckets_are_ten_minutes():
    moment = datetime(2026, 12, 6, 3, 47, 59, tzinfo=UTC).timestamp()
    assert counting.bucket_of(moment) == int(datetime(2026, 12, 6, 3, 40, tzinfo=UTC).timestamp())
