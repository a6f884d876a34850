"""Small frozen values shared by the detection core and its callers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected entity: where it is in the ORIGINAL text, never what it is.

    ``segment`` is the index of the segment (for multi-segment scans); ``start`` and
    ``end`` are character offsets into that segment's original text.
    """

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str
    segment: int = 0

    def to_dict(self) -> dict[str, str | int | float]:
        return {
            "type": self.entity_type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "recognizer": self.recognizer,
            "segment": self.segment,
        }


class ScanError(Exception):
    """The scanner could not finish; the caller must fail closed (never forward)."""

    reason_code = "scanner_error"


class ScanLimitError(ScanError):
    """The input exceeds a configured scan bound; fail closed with a clear message."""

    reason_code = "scan_limit_exceeded"
