"""A 3-line extractive summary for the desk: the lead's sentences, cleaned; TextRank measured.

What the desk is offered is lead-3 (``summarize``): it scored above TextRank against the demo
desk's 부제 (docs/decisions/0022). ``textrank`` is kept beside it, measured in the same command.

Steps (Mihalcea & Tarau's TextRank, written out here: it is a few lines over kiwipiepy):

1. Clean the body: photo captions (``<figure>``/``<figcaption>``) out, then the byline
   (``[새나루일보=김민준 기자]``, ``(서울=…)``) and bracketed notes such as ``[사진=…]``; a
   sentence holding an e-mail address (a contact line, the closing byline) is left out whole.
2. Split sentences with kiwipiepy (``split_into_sents``) paragraph by paragraph.
3. Each sentence's content morphemes (nouns, verb and adjective stems, roots, Latin words);
   two sentences are alike by their shared morphemes over the logs of their lengths.
4. PageRank over that graph with a lead prior: the random jump lands on sentence *i* with
   weight 1/(i+1), because a news story says what matters first.
5. The three best sentences, in the article's order. An article of ``LEAD_ONLY`` sentences or
   fewer gets its first three (lead-3): a graph that small ranks nothing.
"""

import html
import math
import re

from sinmun.korean import analyzer, excerpts

LINES = 3
LEAD_ONLY = 4
# Lower than TextRank's usual 0.85: the lead prior weighs more (docs/decisions/0022, measured).
DAMPING = 0.4
ITERATIONS = 50
LINE_LIMIT = 200  # a 부제 line's limit in the desk editor
META_LIMIT = 160
CONTENT_TAGS = {"NNG", "NNP", "SL", "XR", "VV", "VA", "SH"}

_FIGURE = re.compile(r"<figure\b.*?</figure>", re.S | re.I)
_CAPTION = re.compile(r"<figcaption\b.*?</figcaption>", re.S | re.I)
_PARAGRAPH = re.compile(r"</p\s*>|<br\s*/?>|</h[1-6]\s*>|</li\s*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_BYLINE = re.compile(r"^\s*[\[(][^\])]{0,40}=\s*[^\])]{0,40}[\])]\s*")
_NOTE = re.compile(r"\[(?:사진|그래픽|영상|자료)[^\]]{0,60}\]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPACE = re.compile(r"\s+")


def paragraphs(body_html: str) -> list[str]:
    """Return the body's paragraphs as plain text, captions, byline and notes removed."""
    text = _CAPTION.sub(" ", _FIGURE.sub(" ", body_html))
    out = []
    for chunk in _PARAGRAPH.split(text):
        plain = html.unescape(_TAG.sub(" ", chunk))
        plain = _NOTE.sub(" ", _BYLINE.sub("", plain))
        plain = _SPACE.sub(" ", plain).strip()
        if plain:
            out.append(plain)
    return out


def sentences(body_html: str) -> list[str]:
    """Return the cleaned body's sentences in order (kiwipiepy's splitter)."""
    kiwi = analyzer.analyzer()
    out = []
    for paragraph in paragraphs(body_html):
        normal = analyzer.normalize(paragraph)
        for sentence in kiwi.split_into_sents(normal):
            text = sentence.text.strip()
            # A sentence giving an address (문의는 …@… 로) is a contact line, not the story:
            # without its address it read "문의는 로 하면 된다".
            if len(text) > 1 and not _EMAIL.search(text):
                out.append(text)
    return out


def _content(sentence: str) -> set[str]:
    return {t.form for t in analyzer.tokens(sentence) if t.tag.split("-")[0] in CONTENT_TAGS}


def _likeness(a: set[str], b: set[str]) -> float:
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / (math.log(len(a)) + math.log(len(b)))


def rank(items: list[str]) -> list[float]:
    """Return each sentence's TextRank score with the lead prior."""
    bags = [_content(s) for s in items]
    n = len(items)
    edges = [[_likeness(bags[i], bags[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out_weight = [sum(row) for row in edges]
    prior = [1 / (i + 1) for i in range(n)]
    total = sum(prior)
    prior = [p / total for p in prior]
    score = prior[:]
    for _ in range(ITERATIONS):
        score = [
            (1 - DAMPING) * prior[j]
            + DAMPING
            * sum(score[i] * edges[i][j] / out_weight[i] for i in range(n) if out_weight[i])
            for j in range(n)
        ]
    return score


def lead(body_html: str, lines: int = LINES) -> list[str]:
    """Return the first ``lines`` sentences (the baseline, and the fallback)."""
    return sentences(body_html)[:lines]


def textrank(body_html: str, lines: int = LINES) -> list[str]:
    """Return TextRank's ``lines`` best sentences in the article's order (lead-3 for an
    article of ``LEAD_ONLY`` sentences or fewer)."""
    items = sentences(body_html)
    if len(items) <= LEAD_ONLY:
        return items[:lines]
    scores = rank(items)
    best = sorted(sorted(range(len(items)), key=lambda i: -scores[i])[:lines])
    return [items[i] for i in best]


def summarize(body_html: str, lines: int = LINES) -> list[str]:
    """Return the summary the desk is offered: the lead's ``lines`` sentences, cleaned.

    Lead-3 scored above TextRank against the 부제 the demo's desk wrote, on the half of the
    articles the weights were tried on and on the half kept out (``sinmun related_eval``;
    docs/decisions/0022): a Korean news story says what matters first, and the 부제 are
    written from it. TextRank stays measured beside it in the same command.
    """
    return lead(body_html, lines)


def as_subheadlines(summary: list[str]) -> list[str]:
    """Return the lines as 부제 lines (each within the editor's limit)."""
    return [excerpts.excerpt(line, LINE_LIMIT) for line in summary]


def meta_description(summary: list[str]) -> str:
    """Return the lines as one meta description of at most ``META_LIMIT`` characters."""
    return excerpts.excerpt(" ".join(summary), META_LIMIT) if summary else ""
