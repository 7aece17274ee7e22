"""Korean text: dates and weekdays, relative time, excerpts."""
