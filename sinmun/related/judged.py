# ruff: noqa: E501
"""Which demo articles are truly related, judged by reading them (not by running any box).

For 35 articles of the demo newsroom (``sinmun.demo.corpus``, one in the middle of each
storyline), every other demo article a desk editor would put in its 관련기사 box, graded:

- 2: the same story: an earlier or later report, analysis, scene piece or column on the very
  event or policy (read from each article's headline, 부제 and lead);
- 1: a different story a reader of this one would want next: the same policy area, company or
  event seen from another side (the port strike and the freight rates it pushed up; the AI
  act and the fine on an AI company's training data).

Everything else is not related. Articles are named by the last four digits of their ninjs
uri (``urn:saenaru:article:0103``): storyline 01, its third article.
"""

URI_PREFIX = "urn:saenaru:article:"


def _same(story: list[str], query: str) -> dict[str, int]:
    return {uri: 2 for uri in story if uri != query}


JUDGED: dict[str, dict[str, int]] = {
    # 추경 14조 어디에 쓰이나: the supplementary budget, from submission to its passing.
    "0103": {**_same(["0101", "0102", "0103", "0104", "0105", "0106"], "0103")},
    # 과방위 공청회 'AI 표시 의무': the AI act; and the fine on 루미넷's AI training (notice duty).
    "0203": {
        **_same(["0201", "0202", "0203", "0204", "0205", "0206"], "0203"),
        "2903": 1, "2905": 1, "2906": 1,
    },
    # 핵심광물 협정 막판 조율: the minerals agreement; battery recycling as the other supply.
    "0303": {**_same(["0301", "0302", "0303", "0304", "0305"], "0303"), "0903": 1, "0905": 1},
    "0403": {**_same(["0401", "0402", "0403", "0404", "0405"], "0403")},
    "0503": {**_same(["0501", "0502", "0503", "0504", "0505"], "0503")},
    # 소비자물가 2.1%: the rate decision; and the food prices the heat and rice pushed up.
    "0603": {**_same(["0601", "0602", "0603", "0604", "0605", "0606"], "0603"), "1205": 1, "1804": 1},
    # 주담대 한도 얼마나 줄까: the mortgage rule; household loans and what a rate cut saves.
    "0703": {**_same(["0701", "0702", "0703", "0704", "0705", "0706"], "0703"), "0602": 1, "0605": 1},
    "0803": {**_same(["0801", "0802", "0803", "0804", "0805", "0806", "0807"], "0803")},
    # 도시 광산: battery recycling; the critical minerals the agreement secures.
    "0903": {**_same(["0901", "0902", "0903", "0904", "0905"], "0903"), "0302": 1, "0304": 1},
    "1003": {**_same(["1001", "1002", "1003", "1004", "1005", "1006"], "1003")},
    "1103": {**_same(["1101", "1102", "1103", "1104", "1105"], "1103")},
    "1203": {**_same(["1201", "1202", "1203", "1204", "1205", "1206", "1207", "1208"], "1203")},
    "1303": {**_same(["1301", "1302", "1303", "1304", "1305"], "1303")},
    "1403": {**_same(["1401", "1402", "1403", "1404", "1405"], "1403")},
    # 파업 닷새째 부산항: the port strike; the freight rates and exporters it hit.
    "1503": {
        **_same(["1501", "1502", "1503", "1504", "1505", "1506", "1507"], "1503"),
        "2002": 1, "2005": 1,
    },
    "1603": {**_same(["1601", "1602", "1603", "1604", "1605"], "1603")},
    "1703": {**_same(["1701", "1702", "1703", "1704", "1705", "1706"], "1703")},
    # 한국 식량안보: rice prices; vegetables the heat wave made dearer.
    "1803": {**_same(["1801", "1802", "1803", "1804", "1805"], "1803"), "1205": 1},
    # 남유럽 산불 200㎢: the fires; the hotter summers at home.
    "1903": {**_same(["1901", "1902", "1903", "1904", "1905"], "1903"), "1204": 1},
    # 한바다해운 운임 상승: freight rates; the port strike's exporters, the ports' fees.
    "2003": {**_same(["2001", "2002", "2003", "2004", "2005"], "2003"), "1502": 1, "3502": 1},
    # 도서전 관람객 12만: the book fair; the column setting its queues beside empty bookshops.
    "2103": {**_same(["2101", "2102", "2103", "2104", "2105", "2106"], "2103"), "2205": 1},
    # 도서정가제 재검토: neighbourhood bookshops; the fair's close with local shops, reading rates.
    "2203": {**_same(["2201", "2202", "2203", "2204", "2205"], "2203"), "2105": 1, "2106": 1},
    "2303": {**_same(["2301", "2302", "2303", "2304", "2305"], "2303")},
    "2403": {**_same(["2401", "2402", "2403", "2404", "2405"], "2403")},
    "2503": {**_same(["2501", "2502", "2503", "2504", "2505", "2506", "2507"], "2503")},
    "2603": {**_same(["2601", "2602", "2603", "2604", "2605"], "2603")},
    "2703": {**_same(["2701", "2702", "2703", "2704", "2705"], "2703")},
    "2803": {**_same(["2801", "2802", "2803", "2804", "2805", "2806"], "2803")},
    # 루미넷 AI 학습 의혹: the investigation and fine; the AI act's notice duties.
    "2903": {**_same(["2901", "2902", "2903", "2904", "2905", "2906"], "2903"), "0203": 1, "0205": 1},
    "3003": {**_same(["3001", "3002", "3003", "3004", "3005"], "3003")},
    "3103": {**_same(["3101", "3102", "3103", "3104", "3105"], "3103")},
    "3203": {**_same(["3201", "3202", "3203", "3204", "3205"], "3203")},
    # 휴가철 캠핑장 24시: camping safety; food safety on a camping trip.
    "3303": {**_same(["3301", "3302", "3303", "3304", "3305"], "3303"), "3205": 1},
    "3403": {**_same(["3401", "3402", "3403", "3404"], "3403")},
    "3503": {**_same(["3501", "3502", "3503", "3504"], "3503")},
}  # fmt: skip
