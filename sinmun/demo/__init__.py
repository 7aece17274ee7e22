"""The demo newsroom: an invented outlet with its sections, reporters and articles."""
