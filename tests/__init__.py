"""Sekimori test suite."""
