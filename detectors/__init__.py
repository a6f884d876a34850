"""Sekimori's detection core: Japanese personal, customer and confidential data in text.

A pure library (no I/O, no HTTP): text in, findings out. Findings carry offsets into
the caller's original text, never the matched value.
"""

from detectors.types import Finding, ScanError, ScanLimitError

__all__ = ["Finding", "ScanError", "ScanLimitError"]
