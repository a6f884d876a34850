"""A company's own regex recognizers from the policy (customer IDs, employee numbers,
internal host names), with an optional check-digit validator from detectors.checksums.

Every pattern is compiled and run against a small pathological corpus at build time: a
pattern that does not compile, matches the empty string, names an unknown validator or
backtracks catastrophically is refused with its name, never run on traffic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from detectors.checksums import VALIDATORS
from detectors.recognizers.base import JaPatternRecognizer
from detectors.settings import CustomPattern

# Long runs followed by a character that makes the match fail at the very end: the shape
# that exposes nested quantifiers.
PATHOLOGICAL = (
    "a" * 5000 + "!",
    "1" * 5000 + "!",
    "1-" * 3000 + "!",
    "a@" * 3000 + "!",
    "[" * 3000,
    "あ" * 5000 + "!",
    ("aaaa " * 1000) + "!",
    "a " * 2500 + "!",
    "0" * 4000 + "x",
)
BUILD_TIMEOUT_SECONDS = 0.5


class CustomPatternError(ValueError):
    """A custom pattern that must not be used (the message names it, never the text)."""


class _CustomRecognizer(JaPatternRecognizer):
    ENTITY = "CUSTOM"
    PATTERNS: ClassVar[list[Pattern]] = []

    def __init__(self, spec: CustomPattern, validator: Callable[[str], bool] | None) -> None:
        type(self).ENTITY = spec.entity_type  # set before the base reads it
        self._validator = validator
        self._spec = spec
        self.PATTERNS = [Pattern(spec.name, spec.regex, spec.score)]  # type: ignore[misc]
        super().__init__(extra_context=list(spec.context))
        self.name = f"Custom[{spec.name}]"
        self.supported_entities = [spec.entity_type]

    def validate_result(self, pattern_text: str) -> bool | None:
        if self._validator is None:
            return None
        return True if self._validator(pattern_text) else False


def too_slow(pattern: str) -> bool:
    """True when ``pattern`` backtracks catastrophically on the pathological corpus."""
    compiled = regex.compile(pattern, regex.DOTALL | regex.MULTILINE | regex.IGNORECASE)
    for sample in PATHOLOGICAL:
        try:
            list(compiled.finditer(sample, timeout=BUILD_TIMEOUT_SECONDS))
        except TimeoutError:
            return True
    return False


def _check(spec: CustomPattern) -> Callable[[str], bool] | None:
    try:
        compiled = regex.compile(spec.regex, regex.DOTALL | regex.MULTILINE | regex.IGNORECASE)
    except regex.error as exc:
        raise CustomPatternError(
            f"custom pattern {spec.name!r}: invalid regex ({exc.msg})"
        ) from None
    if compiled.fullmatch("") is not None:
        raise CustomPatternError(f"custom pattern {spec.name!r}: matches the empty string")
    if too_slow(spec.regex):
        raise CustomPatternError(
            f"custom pattern {spec.name!r}: too slow on pathological "
            "input (catastrophic backtracking)"
        )
    if spec.validator is None:
        return None
    validator = VALIDATORS.get(spec.validator)
    if validator is None:
        raise CustomPatternError(
            f"custom pattern {spec.name!r}: unknown validator {spec.validator!r}"
        )
    return validator


def build_custom_recognizers(patterns: tuple[CustomPattern, ...]) -> list[JaPatternRecognizer]:
    """One recognizer per pattern; raises CustomPatternError on the first bad one."""
    built: list[JaPatternRecognizer] = []
    for spec in patterns:
        validator = _check(spec)
        # A class per pattern: the base class reads ENTITY from the class.
        cls = type(f"Custom_{len(built)}", (_CustomRecognizer,), {"ENTITY": spec.entity_type})
        built.append(cls(spec, validator))
    return built
