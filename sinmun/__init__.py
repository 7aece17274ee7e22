"""Sinmun (신문): a publishing platform for Korean internet newspapers."""

__version__ = "0.1.0"
