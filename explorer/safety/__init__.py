"""Untrusted input made harmless: text for terminals and spreadsheets (`text`), paths kept inside their tree (`paths`)."""
