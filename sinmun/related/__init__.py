"""Related articles by content (관련기사), keyword and summary suggestions for the desk.

Modules, in the order they may import each other (later ones use earlier ones):

- ``models``: the stored signatures, vocabulary, computed lists and the desk's pins/removals;
- ``sql``: plain SQL on the models' tables, for the worker's refresh path;
- ``terms``: an article's weighted morphemes (from the search index's rows), pure functions;
- ``vocabulary``: document frequencies from a sample of the index (the engine's idf);
- ``engine``: signature, candidates, scoring, near-duplicate collapse; stores one list;
- ``selectors`` / ``services``: what pages read, what the desk changes;
- ``suggestions`` and ``summaries``: keyword and 3-line summary proposals (kiwipiepy);
- ``baselines`` and ``evaluation``: today's tiered box and same-section-newest, and the
  judged set's metrics (``sinmun related_eval``);
- ``tasks`` and ``followups``: the worker's jobs and the core's announcements.
"""
