"""``{% related_desk_panel %}``: the editor's 관련기사 · 키워드 제안 · 3줄 요약 cards.

Suggestions are computed when the editor opens (kiwipiepy, a few milliseconds for an
article); the related list is the stored one, with the desk's pins and removals.
"""

from django import template

from sinmun.newsroom import access
from sinmun.newsroom import selectors as newsroom

from .. import selectors, suggestions, summaries

register = template.Library()


@register.inclusion_tag("related/desk_panel.html", takes_context=True)
def related_desk_panel(context):
    article = context.get("article")
    request = context.get("request")
    if article is None or article.pk is None or request is None:
        return {"article": None}
    keywords = list(article.keywords.all())
    exclude = {b.reporter.name for b in article.bylines.select_related("reporter")}
    exclude |= {k.name for k in keywords} | {newsroom.outlet().name}
    summary = summaries.summarize(article.body)
    return {
        "article": article,
        "csrf_token": context.get("csrf_token"),
        "may_change": access.may_release_article(request.user, article),
        "related": selectors.for_desk(article=article),
        "keywords": keywords,
        "suggested": suggestions.suggest(
            headline=article.headline,
            subheadlines=article.subheadlines,
            body=article.body_text,
            exclude=exclude,
        ),
        "summary": summaries.as_subheadlines(summary),
        "meta_description": summaries.meta_description(summary),
    }
