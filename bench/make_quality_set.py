"""Entry point kept for ``python -m bench.make_quality_set``; the generator is the package
``bench/quality_set/`` (families as data tables, one engine)."""

from __future__ import annotations

from bench.quality_set import build, dump, main, stats

__all__ = ["build", "dump", "main", "stats"]

if __name__ == "__main__":
    raise SystemExit(main())
