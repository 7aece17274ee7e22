"""Reads of stored weather observations for the page header."""


def ticker_items() -> list[str]:
    """Return the ticker's items in station order (empty until observations are stored)."""
    return []
