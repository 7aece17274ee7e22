"""Synthetic Korean news articles for the search benchmark, with their morphemes.

Deterministic: article ``n`` of seed ``s`` is always the same, whatever else is generated, so
workers can build any slice of a corpus independently. Every word comes from the invented
vocabulary below (common nouns of the language, invented companies, people and places, verbs
with their endings, particles, numbers, Latin like AI/CEO); no real outlet's text is used.

Because the generator builds each word from parts it knows, it also emits the morphemes the
Sinmun analyzer keeps (nouns lowercased, verb and adjective stems, numbers; nouns written
together once more as a whole, after the rest), field by field, in the form of a
``SearchDocument`` row. The benchmark fills large indexes from these instead of running
kiwipiepy for hours, and checks them against the real analyzer on a sample.

Independent of Sinmun (standard library only).
"""

import random
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

GENERAL_NOUNS = (
    "정부 지역 계획 사업 관계자 문제 상황 결과 규모 지원 대책 방안 과정 시간 올해 내년 지난해 "
    "현장 전문가 의견 영향 변화 가능 필요 강화 확대 추진 논의 검토 기준 목표 수준 관련 경우 "
    "이유 부분 분야 기관 위원회 센터 협회 시민 국민 사회 국가 세계 시설 비용 효과 성과 방침 "
    "조치 제도 개선 운영 참여 협력 대응 우려 기대 전망 발표 설명 자료 분석 조사 통계 정보 "
    "회의 합의 요구 반발 비판 책임 역할 방향 전략 예산 재원 부담 혜택 대상 기간 단계 일정 "
    "현황 실태 사례 원인 해법 과제 위기 기회 경쟁 협의 점검 평가 결정 변경 도입 시행 마련 "
    "주민 주택 가구 소득 세금 세수 지출 적자 흑자 부채 자산 보험 연금 수당 요금 가격 공급 수요 "
    "인력 인재 채용 퇴직 근로자 사업자 소비자 이용자 가입자 주최 행사 토론회 간담회 설명회 "
    "보고서 지침 규정 조례 법률 소송 절차 심사 승인 허가 신청 접수 등록 인증 감사 감독 처분 "
    "징계 사과 해명 입장 반응 여파 파장 후폭풍 불씨 갈등 대립 충돌 타협 양보 절충 공감대 "
    "현안 숙제 고민 부족 과잉 격차 불균형 양극화 쏠림 침체 회복 반등 둔화 급증 급감 상승 하락 "
    "개편 재편 통합 분리 신설 폐지 축소 유지 연장 단축 조정 완화 해제 동결 인상 인하 발굴 육성"
).split()

SECTIONS = {
    # slug: (name, parent slug or None, topic nouns)
    "politics": (
        "정치",
        None,
        (
            "국회 의원 정당 여당 야당 법안 선거 후보 공약 대통령 장관 총리 국정 예산안 개헌 외교 "
            "안보 국방 협상 회담 표결 본회의 상임위 위원장 대변인 정책 여론 지지율 청문회 개정안 "
            "원내대표 당대표 지도부 공천 개표 투표율 탄핵 특검 국정감사 입법"
        ).split(),
    ),
    "assembly": (
        "국회",
        "politics",
        (
            "국회 의원 법안 본회의 상임위 표결 개정안 청문회 국정감사 입법 소위원회 의장 교섭단체 "
            "예결위 법사위 정무위 원내대표 합의문 필리버스터 의사일정"
        ).split(),
    ),
    "economy": (
        "경제",
        None,
        (
            "경제 시장 금리 물가 환율 수출 수입 투자 주가 증시 코스피 채권 은행 대출 부동산 아파트 "
            "분양 전세 매출 영업이익 실적 성장률 소비 기업 주주 배당 반도체 배터리 자동차 조선 "
            "기준금리 가계부채 무역수지 경상수지 외환 유가 원자재 소상공인 자영업자 인플레이션"
        ).split(),
    ),
    "industry": (
        "산업",
        "economy",
        (
            "산업 공장 생산 설비 공급망 반도체 배터리 자동차 조선 철강 석유화학 디스플레이 부품 "
            "수주 납품 협력사 전기차 충전소 원전 수소 태양광 풍력 물류 항만 해운"
        ).split(),
    ),
    "society": (
        "사회",
        None,
        (
            "경찰 검찰 법원 재판 판결 사고 화재 수사 피해 주민 학교 학생 교사 교육 병원 환자 의사 "
            "복지 노동 임금 파업 노조 고용 청년 노인 저출생 인구 안전 재난 환경 폭염 한파 미세먼지 "
            "교통 지하철 버스 택시 주거 돌봄 보육 장애인 소방 구조"
        ).split(),
    ),
    "education": (
        "교육",
        "society",
        (
            "교육 학교 학생 교사 학부모 입시 수능 대학 등록금 교육청 교육감 교과서 급식 방과후 "
            "사교육 학원 기숙사 장학금 졸업 입학 교권 학폭"
        ).split(),
    ),
    "world": (
        "국제",
        None,
        (
            "미국 중국 일본 유럽 러시아 정상 외교 무역 관세 전쟁 휴전 난민 제재 동맹 협정 대사관 "
            "특사 유엔 국경 분쟁 정상회담 외무장관 국무부 의회 총선 대선 이민 시위 테러 원조"
        ).split(),
    ),
    "culture": (
        "문화",
        None,
        (
            "공연 전시 영화 음악 배우 감독 관객 작가 소설 출판 축제 박물관 미술관 무대 드라마 방송 "
            "예능 가수 앨범 콘서트 뮤지컬 연극 시상식 개봉 흥행 평론가 문화재 유산 관람객 신작"
        ).split(),
    ),
    "sports": (
        "스포츠",
        None,
        (
            "선수 경기 우승 구단 감독 리그 시즌 득점 골키퍼 투수 타자 홈런 올림픽 대표팀 결승 "
            "준결승 메달 기록 훈련 부상 이적 계약 연봉 관중 경기장 코치 주장 승리 패배 무승부"
        ).split(),
    ),
    "science": (
        "과학",
        None,
        (
            "기술 개발 연구 인공지능 데이터 플랫폼 서비스 반도체 클라우드 보안 해킹 스타트업 로봇 "
            "우주 위성 실험 논문 특허 통신 스마트폰 소프트웨어 알고리즘 연구진 연구소 발사체 "
            "양자 바이오 백신 유전자 자율주행 개인정보 생성형"
        ).split(),
    ),
    "regions": (
        "지역",
        None,
        (
            "지역 시청 군청 도청 시장 군수 도지사 시의회 주민 마을 축제 관광 관광객 농가 어민 "
            "특산물 예산 도로 철도 공항 항만 개발 재개발 재건축 인구 소멸 귀농 청년 일자리"
        ).split(),
    ),
}

# Latin words and whether they end in a final consonant when read (AI 에이아이 → 가).
LATIN = dict.fromkeys(
    ("AI", "CEO", "ESG", "IT", "GPU", "EV", "IPO", "OTT", "MZ", "SNS", "GDP", "R&D"), False
)
LATIN_WORDS = list(LATIN)
LATIN_COMPOUNDS = ("AI반도체", "AI칩", "MZ세대", "OTT플랫폼", "AI서비스", "ESG경영")

COMPANY_PREFIXES = (
    "한누리 새벽빛 가람 다온 보람솔 온새미 미리내 한별 소담 아라 하늘빛 푸른솔 너울 별하 "
    "나래온 가온 다솜 마루 비채 새롬 여울 윤슬 이든 채움 한결 해밀 늘품 도담 라온 모아"
).split()
COMPANY_SUFFIXES = (
    "전자 바이오 모빌리티 건설 제약 에너지 금융 증권 통신 식품 항공 화학 중공업 게임즈 "
    "엔터 로보틱스"
).split()
SURNAMES = "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 홍".split()
GIVEN_NAMES = (
    "도윤 서하 지안 하람 태린 시우 나은 예준 다인 주원 채아 건우 소율 이준 하윤 민재 서윤 "
    "도하 유진 현서 지호 수아 은호 라희 재윤 가은 시온 하진 윤서 태오 다온 서진 연우 아린 "
    "준서 해솔 보민 지율 규리 우진"
).split()
TITLES = "대표 장관 의원 교수 위원장 사장 감독 연구원 시장 대변인 회장 본부장".split()
PLACE_PREFIXES = (
    "가온 누리 새별 다솔 한울 미르 솔빛 여명 청람 은빛 푸름 하늬 물빛 온누리 초록"
).split()
PLACE_SUFFIXES = ("시", "군", "구")

# Sentence-final predicates: (surface, morphemes the analyzer keeps).
FINAL_VERBS = (
    ("밝혔다", ["밝히"]), ("말했다", ["말"]), ("전했다", ["전하"]), ("설명했다", ["설명"]),
    ("강조했다", ["강조"]), ("발표했다", ["발표"]), ("덧붙였다", ["덧붙이"]),
    ("내다봤다", ["내다보"]), ("나타났다", ["나타나"]), ("집계됐다", ["집계"]),
    ("기록했다", ["기록"]), ("결정했다", ["결정"]), ("추진한다", ["추진"]),
    ("검토하고 있다", ["검토"]), ("계획이다", ["계획"]), ("것으로 알려졌다", ["알려지"]),
    ("것으로 보인다", ["보이"]), ("예상된다", ["예상"]), ("지적했다", ["지적"]),
    ("요구했다", ["요구"]), ("늘었다", ["늘"]), ("줄었다", ["줄"]), ("확인됐다", ["확인"]),
)  # fmt: skip
# Adnominal modifiers: (surface, morphemes).
MODIFIERS = (
    ("새로운", ["새롭"]), ("높은", ["높"]), ("큰", ["크"]), ("다양한", ["다양"]),
    ("중요한", ["중요"]), ("강한", ["강"]), ("낮은", ["낮"]), ("작은", ["작"]),
    ("본격적인", ["본격"], "본격적"), ("구체적인", ["구체"], "구체적"), ("추가", ["추가"]),
    ("대규모", ["규모"], "대규모"),
)  # fmt: skip
# Connective verbs in the middle of a sentence.
MID_VERBS = (
    ("확대하고", ["확대"]), ("마련하기 위해", ["마련", "위하"]), ("늘리고", ["늘리"]),
    ("줄이기 위해", ["줄이", "위하"]), ("추진하면서", ["추진"]), ("검토한 끝에", ["검토", "끝"]),
    ("발표하며", ["발표"]), ("지원하는", ["지원"]), ("둘러싼", ["둘러싸"]),
)  # fmt: skip
ADVERBS = ("또한", "특히", "다만", "이에", "한편", "아울러", "그러나", "이날", "앞서")
# Units: (surface, morphemes, glued to the number as one written compound: 2,163명).
UNITS = (("명", [], True), ("곳", ["곳"], True), ("건", [], True), ("개", [], True),
         ("억 원", [], False), ("조 원", [], False))  # fmt: skip


def _batchim(word: str) -> int:
    """Return the final consonant index of ``word``'s last syllable (0: none; 8: ㄹ)."""
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    if last.isdigit():
        return {"0": 21, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8}.get(last, 0)
    return 21 if LATIN.get(word, False) else 0


def particle(word: str, kind: str) -> str:
    """Return ``word``'s particle of ``kind`` in the form its final sound asks for."""
    final = _batchim(word)
    pairs = {"subj": ("이", "가"), "topic": ("은", "는"), "obj": ("을", "를"), "and": ("과", "와")}
    if kind in pairs:
        return pairs[kind][0 if final else 1]
    if kind == "to":
        return "으로" if final and final != 8 else "로"
    return kind  # invariable: 의, 에, 에서, 도, 까지, 부터, 보다, 에게


# ---------------------------------------------------------------------------------------------
# Entities: every invented proper noun (also what a newsroom files as keywords).
# ---------------------------------------------------------------------------------------------

COMPANIES = [p + s for p in COMPANY_PREFIXES for s in COMPANY_SUFFIXES]
PEOPLE = [s + g for s in SURNAMES for g in GIVEN_NAMES]
PLACES = [p + s for p in PLACE_PREFIXES for s in PLACE_SUFFIXES]
REPORTERS = PEOPLE[::23][:40]
SERIES = ("기자수첩", "현장취재", "이슈분석")


def proper_nouns() -> list[str]:
    """Return every invented proper noun (the newsroom's keywords and user dictionary)."""
    return COMPANIES + PEOPLE + PLACES


def _zipf(n: int, s: float = 1.0) -> list[float]:
    weights, total = [], 0.0
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        weights.append(total)
    return weights


_GENERAL_CUM = _zipf(len(GENERAL_NOUNS), 0.5)
_TOPIC_CUM = {slug: _zipf(len(nouns), 0.8) for slug, (_, _, nouns) in SECTIONS.items()}
# Proper nouns: a few are in the news all the time, most rarely.
_COMPANY_CUM = _zipf(len(COMPANIES), 0.6)
_PEOPLE_CUM = _zipf(len(PEOPLE), 0.6)
_PLACE_CUM = _zipf(len(PLACES), 0.6)
SECTION_SLUGS = list(SECTIONS)
_SECTION_CUM = [3, 4, 7, 8.5, 11.5, 12.5, 14, 15.5, 17.5, 18.5, 20]


# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------


@dataclass
class Line:
    """Surface text and kept morphemes of one field, built word by word."""

    words: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    wholes: list[str] = field(default_factory=list)

    def add(self, surface: str, terms: list[str], whole: str | None = None) -> None:
        self.words.append(surface)
        self.terms.extend(terms)
        if whole:
            self.wholes.append(whole)

    def text(self) -> str:
        return " ".join(self.words)

    def all_terms(self) -> list[str]:
        return self.terms + self.wholes


@dataclass
class Article:
    n: int
    section: str
    series: str | None
    headline: str
    subheadlines: list[str]
    keywords: list[str]
    reporters: list[str]
    paragraphs: list[str]
    # Days before "now" the article was first published (negative: embargoed, still ahead).
    age_days: float
    status: str
    terms: dict[str, list[str]]

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def body_html(self) -> str:
        return "".join(f"<p>{p}</p>" for p in self.paragraphs)

    @property
    def section_name(self) -> str:
        return SECTIONS[self.section][0]


class _Writer:
    def __init__(self, rng: random.Random, section: str):
        self.rng = rng
        self.section = section
        self.topic = SECTIONS[section][2]
        self.topic_cum = _TOPIC_CUM[section]
        # The article's cast: who and what it is about, mentioned again and again.
        self.companies = self._entities(COMPANIES, _COMPANY_CUM, rng.randint(0, 2))
        self.people = self._entities(PEOPLE, _PEOPLE_CUM, rng.randint(1, 3))
        self.places = self._entities(PLACES, _PLACE_CUM, rng.randint(0, 1))
        self.focus = rng.choices(self.topic, cum_weights=self.topic_cum, k=3)
        # The article's working vocabulary: a few dozen of the language's nouns, not all of
        # them, so that document frequencies look like news (common words in many articles,
        # topic words in some, names in few).
        self.general = list(
            dict.fromkeys(rng.choices(GENERAL_NOUNS, cum_weights=_GENERAL_CUM, k=22))
        )
        self.topical = list(
            dict.fromkeys(rng.choices(self.topic, cum_weights=self.topic_cum, k=14))
        )
        other = SECTIONS[rng.choice(SECTION_SLUGS)][2]
        self.topical += rng.sample(other, 3)
        self.latin = rng.sample(LATIN_WORDS, rng.choice((0, 0, 0, 1, 1, 2)))
        self.latin_compounds = [
            w for w in LATIN_COMPOUNDS if any(w.startswith(x) for x in self.latin)
        ]

    def _entities(self, names, cum, k):
        return list(dict.fromkeys(self.rng.choices(names, cum_weights=cum, k=k)))

    # -- nouns ----------------------------------------------------------------------------------

    def noun(self) -> str:
        r = self.rng.random()
        if r < 0.18:
            return self.rng.choice(self.focus)
        if r < 0.55:
            return self.rng.choice(self.topical)
        return self.rng.choice(self.general)

    def entity(self) -> str:
        pool = self.companies + self.places
        if pool and self.rng.random() < 0.6:
            return self.rng.choice(pool)
        return self.rng.choice(self.people) + " " + self.rng.choice(TITLES)

    def noun_phrase(self, line: Line, kind: str | None) -> None:
        """Add a noun phrase ending in the particle ``kind`` (None: bare)."""
        r = self.rng.random()
        if r < 0.12:
            modifier, terms, *whole = self.rng.choice(MODIFIERS)
            line.add(modifier, terms, *whole)
        elif r < 0.15 and self.latin:
            word = self.rng.choice(self.latin)
            line.add(word, [word.lower()] if word != "R&D" else ["r", "d"])
        elif r < 0.16 and self.latin_compounds:
            word = self.rng.choice(self.latin_compounds)
            latin = "".join(c for c in word if c.isascii())
            hangul = word[len(latin) :]
            line.add(
                word + (particle(word, kind) if kind else ""),
                [latin.lower(), hangul],
                word.lower(),
            )
            return
        elif r < 0.40:
            first = self.noun()
            line.add(first + "의", [first])
        noun = self.noun()
        line.add(noun + (particle(noun, kind) if kind else ""), [noun])

    def entity_phrase(self, line: Line, kind: str) -> None:
        name = self.entity()
        *first, last = name.split()
        for word in first:
            line.add(word, [word])
        line.add(last + particle(last, kind), [last])

    def number(self, line: Line) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            value = f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"
            line.add(value + "%", [value])
        elif r < 0.6:
            value = f"{rng.randint(1, 9)},{rng.randint(0, 999):03d}"
        else:
            value = str(rng.randint(2, 980))
        if r >= 0.35:
            unit, terms, glued = rng.choice(UNITS)
            line.add(value + unit, [value, *terms], value + unit if glued else None)

    # -- sentences ------------------------------------------------------------------------------

    def sentence(self) -> Line:
        rng = self.rng
        line = Line()
        if rng.random() < 0.25:
            adverb = rng.choice(ADVERBS)
            line.add(adverb, ["이날"] if adverb == "이날" else [])
        shape = rng.random()
        if shape < 0.30:
            self.entity_phrase(line, "topic")
            self.noun_phrase(line, "의")
            self.noun_phrase(line, "obj")
            verb, terms = rng.choice(MID_VERBS)
            line.add(verb, terms)
            self.noun_phrase(line, "obj")
        elif shape < 0.50:
            year = str(rng.choice([2023, 2024, 2025]))
            line.add(year + "년", [year], year + "년")
            self.noun_phrase(line, "subj")
            self.noun_phrase(line, "보다")
            self.number(line)
        elif shape < 0.72:
            person = rng.choice(self.people)
            line.add(person, [person])
            title = rng.choice(TITLES)
            line.add(title + particle(title, "topic"), [title])
            opening = Line()
            self.noun_phrase(opening, "subj")
            self.noun_phrase(opening, "obj")
            verb, terms = rng.choice(MID_VERBS[:5])
            opening.add(verb, terms)
            self.noun_phrase(opening, "obj")
            self.noun_phrase(opening, None)
            opening.add("필요하다”며", ["필요"])
            opening.words[0] = "“" + opening.words[0]
            line.words += opening.words
            line.terms += opening.terms
            line.wholes += opening.wholes
        elif shape < 0.86:
            org = rng.choice(self.companies + self.places + self.general[:2])
            line.add(org + "에", [org])
            line.add("따르면", ["따르"])
            self.noun_phrase(line, "의")
            self.noun_phrase(line, "topic")
            line.add("전년", ["전년"])
            line.add("대비", ["대비"])
            self.number(line)
            self.noun_phrase(line, "to")
        else:
            self.noun_phrase(line, "에서")
            self.noun_phrase(line, "도")
            self.noun_phrase(line, "subj")
            modifier, terms, *whole = rng.choice(MODIFIERS[:9])
            line.add(modifier, terms, *whole)
            self.noun_phrase(line, "obj")
        verb, terms = rng.choice(FINAL_VERBS)
        line.add(verb + ".", terms)
        return line

    def headline(self) -> Line:
        rng = self.rng
        line = Line()
        subject = rng.choice(self.companies + self.places + self.focus)
        line.add(subject + ",", [subject])
        for _ in range(rng.randint(2, 4)):
            self.noun_phrase(line, None)
        if rng.random() < 0.5:
            noun = rng.choice(("추진", "확대", "발표", "논란", "우려", "합의", "검토"))
            line.add(noun, [noun])
        return line

    def subheadline(self) -> Line:
        line = Line()
        self.noun_phrase(line, "subj")
        self.noun_phrase(line, None)
        noun = self.rng.choice(("전망", "예고", "촉각", "주목", "과제", "변수"))
        line.add(noun, [noun])
        return line


def _words(text: str) -> list[str]:
    return text.split()


def generate(n: int, *, seed: int = 1) -> Article:
    """Return article ``n`` (deterministic for ``n`` and ``seed``)."""
    rng = random.Random(seed * 1_000_003 + n)  # noqa: S311 - a corpus, not a secret
    section = rng.choices(SECTION_SLUGS, cum_weights=_SECTION_CUM)[0]
    writer = _Writer(rng, section)
    headline = writer.headline()
    subheadlines = [writer.subheadline() for _ in range(rng.randint(2, 4))]
    target = rng.randint(1500, 3000)
    paragraphs: list[str] = []
    body_terms: list[str] = []
    body_wholes: list[str] = []
    length = 0
    while length < target:
        sentences = [writer.sentence() for _ in range(rng.randint(2, 4))]
        paragraph = " ".join(s.text() for s in sentences)
        for s in sentences:
            body_terms += s.terms
            body_wholes += s.wholes
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    keywords = list(dict.fromkeys(writer.companies + writer.people + writer.focus))
    keywords = keywords[: rng.randint(2, 4)]
    reporters = [rng.choice(REPORTERS)]
    if rng.random() < 0.15:
        reporters.append(rng.choice(REPORTERS))
        reporters = list(dict.fromkeys(reporters))
    series = rng.choice(SERIES) if rng.random() < 0.05 else None
    # Keyword field as Sinmun indexes it: keywords, reporters, section, series.
    keyword_text = keywords + reporters + [SECTIONS[section][0]] + ([series] if series else [])
    r = rng.random()
    status = "published" if r < 0.96 else ("draft" if r < 0.985 else "withdrawn")
    age_days = rng.uniform(0, 3 * 365) if rng.random() > 0.002 else -rng.uniform(0.1, 3)
    return Article(
        n=n,
        section=section,
        series=series,
        headline=headline.text(),
        subheadlines=[s.text() for s in subheadlines],
        keywords=keywords,
        reporters=reporters,
        paragraphs=paragraphs,
        age_days=age_days,
        status=status,
        terms={
            "headline": [t.lower() for t in headline.all_terms()],
            "subheadlines": [t.lower() for s in subheadlines for t in s.terms]
            + [t.lower() for s in subheadlines for t in s.wholes],
            "keywords": [t.lower() for t in keyword_text],
            "body": [t.lower() for t in body_terms + body_wholes],
        },
    )


if __name__ == "__main__":
    import sys

    article = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(f"[{article.section_name}] {article.headline}")
    for line in article.subheadlines:
        print(f"  - {line}")
    print(f"  키워드: {', '.join(article.keywords)}  기자: {', '.join(article.reporters)}")
    print(f"  {len(article.body_text)} characters\n")
    print(article.body_text)
    print("\n", article.terms)
