"""The three detection modes side by side, on text nobody here wrote.

    python -m bench.modes [--md OUT] [--no-thorough]

Pools: the blind red-team rounds (tests/data/quality/unseen_r*.jsonl; values caught and
harmless prompts changed, as bench.unseen counts them), the project's own quality set, and
the Wikipedia dev sentences (person recall, sentences without a person changed). Each mode
scans every text once; the time is the scanner's own (one process, one core). ``thorough``
runs GiNZA on every sentence, so it is measured on the Wikipedia pool only unless asked.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench import unseen, wiki
from bench.quality import DEFAULT_SET, evaluate, force_offline, load_set, quiet, sekimori_engine

ROOT = Path(__file__).resolve().parent.parent
Span = tuple[str, int, int]


def _timed(scan: Callable[[str], list[Span]]) -> tuple[Callable[[str], list[Span]], list[float]]:
    spent = [0.0]

    def run(text: str) -> list[Span]:
        t0 = time.perf_counter()
        try:
            return scan(text)
        finally:
            spent[0] += time.perf_counter() - t0

    return run, spent


def _own_set(scan: Callable[[str], list[Span]]) -> tuple[int, int, int, int]:
    """(values, caught, harmless, harmless changed) on the project's own set, as
    bench.quality counts them."""
    res = evaluate("own set", scan, load_set(DEFAULT_SET))
    return sum(res.support.values()), sum(res.tp.values()), res.harmless_total, res.harmless_changed


@dataclass
class ModeRow:
    mode: str
    wiki: wiki.WikiResult
    wiki_cps: float
    values: int = 0
    caught: int = 0
    harmless: int = 0
    changed: int = 0
    rounds_cps: float = 0.0
    own: tuple[int, int, int, int] | None = None

    def markdown(self) -> str:
        w = self.wiki
        if self.own is not None:
            values, caught, harmless, changed = self.own
            red = (
                f"{self.caught:,}/{self.values:,} ({self.caught / self.values:.1%}) "
                f"| {self.changed}/{self.harmless} ({self.changed / self.harmless:.1%}) "
                f"| {self.rounds_cps:,.0f} | {caught}/{values}, {changed}/{harmless}"
            )
        else:
            red = "— | — | — | —"
        return (
            f"| {self.mode} | {red} | {w.masked}/{w.persons} ({w.recall:.1%}) "
            f"| {w.without_person_changed}/{w.without_person} ({w.changed_share:.1%}) "
            f"| {self.wiki_cps:,.0f} |"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--md", type=Path, default=ROOT / "bench" / "results" / "modes.md")
    ap.add_argument("--thorough-rounds", action="store_true", help="thorough on the rounds too")
    args = ap.parse_args(argv)
    force_offline()
    quiet()
    rounds = [(p.stem, load_set(p)) for p in unseen.ROUNDS]
    pool = wiki.load()
    rows = []
    for mode in ("rules", "fast", "thorough"):
        scan, _load = sekimori_engine(mode)
        timed, spent = _timed(scan)
        red: dict[str, int | float] = {}
        own = None
        if mode != "thorough" or args.thorough_rounds:
            print(f"{mode}: red-team rounds ...", file=sys.stderr, flush=True)
            results = [unseen.evaluate(stem, timed, recs) for stem, recs in rounds]
            chars = sum(len(r["text"]) for _stem, recs in rounds for r in recs)
            red = {
                "values": sum(r.values for r in results),
                "caught": sum(r.caught for r in results),
                "harmless": sum(r.harmless for r in results),
                "changed": sum(r.harmless_changed for r in results),
            }
            red["rounds_cps"] = chars / spent[0]
            own = _own_set(scan)
        print(f"{mode}: Wikipedia ...", file=sys.stderr, flush=True)
        w = wiki.evaluate(mode, scan, pool)
        rows.append(
            ModeRow(
                mode,
                w,
                w.chars / w.seconds,
                values=int(red.get("values", 0)),
                caught=int(red.get("caught", 0)),
                harmless=int(red.get("harmless", 0)),
                changed=int(red.get("changed", 0)),
                rounds_cps=float(red.get("rounds_cps", 0.0)),
                own=own,
            )
        )
    lines = [
        f"Measured {date.today().isoformat()} (python -m bench.modes; one process, one core).",
        "",
        "| mode | red-team rounds: values caught | harmless changed | chars/s | own set: "
        "values / harmless changed | Wikipedia: person recall | no-person sentences changed "
        "| chars/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(row.markdown() for row in rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
