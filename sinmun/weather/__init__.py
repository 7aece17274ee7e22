"""Weather ticker from the Korea Meteorological Administration (기상청 제공)."""
