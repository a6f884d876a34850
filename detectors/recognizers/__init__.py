"""Japanese recognizers, one per file. Every ``JaPatternRecognizer`` subclass defined in a
module of this package is picked up by :func:`pattern_recognizer_classes`."""

from __future__ import annotations

import importlib
import pkgutil

from detectors.recognizers.base import JaPatternRecognizer


def pattern_recognizer_classes() -> list[type[JaPatternRecognizer]]:
    """All concrete pattern recognizers of this package, in a stable order."""
    found: dict[str, type[JaPatternRecognizer]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, JaPatternRecognizer)
                and obj is not JaPatternRecognizer
                and obj.__module__ == module.__name__
                and getattr(obj, "PATTERNS", None)
            ):
                found[obj.__name__] = obj
    return [found[name] for name in sorted(found)]
