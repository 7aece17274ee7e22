"""Syndication: IPTC ninjs import and export (feeds and sitemaps join here later)."""
