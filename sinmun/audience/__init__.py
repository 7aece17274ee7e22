"""Audience: view counting, 많이 본 뉴스 and 급상승, the desk's statistics (issue #14).

A reader's view is counted by ``static/audience/beacon.js`` (the page may come whole from a
cache), answered before Django by ``front.BeaconFront`` or by ``views.beacon``; ``counting``
says who is a reader and makes the day's reader key; ``store`` keeps the counts until the
worker's ``tasks`` flush them (``services.views_flush``) and refresh the rankings
(``ranking``); pages read ``selectors.most_read`` through ``templatetags.audience``; the desk
reads the other selectors (``sinmun/desk/views/stats.py``). docs/decisions/0020.

Which module may import which: ``counting`` and ``store`` import nothing of Django's models
(the benchmark's and tests' worker processes use them bare); ``services`` and ``selectors``
build on them and on the newsroom's selectors; ``views``, ``front`` and ``templatetags`` call
``services`` and ``selectors`` only.
"""
