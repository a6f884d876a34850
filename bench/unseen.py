"""Blind red-team rounds: prompts written by someone who never read detectors/.

    python -m bench.unseen [--set FILE ...] [--json OUT] [--misses N]

Each round's file (``tests/data/quality/unseen_rN.jsonl``) was scanned once, before any
fix that it prompted; that first pass is recorded in ``bench/results/unseen.md`` and is
the honest figure. Running this again measures the current code on the same prompts
(a regression floor from then on, as for the project's own set).

* **values caught** — a labelled value is caught when findings of any type that the
  default policy masks or blocks cover every character of it (spaces aside), at every
  place it occurs: what would not reach the upstream.
* **harmless prompts changed** — prompts labelled harmless with at least one such finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.quality import covers, load_set, occurrences

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = sorted((ROOT / "tests" / "data" / "quality").glob("unseen_r*.jsonl"))
# Reported but not masked by the default policy: they leave the text unchanged.
MONITOR_ONLY = frozenset({"JP_CORPORATE_NUMBER"})

Span = tuple[str, int, int]


@dataclass
class RoundResult:
    name: str
    values: int = 0
    caught: int = 0
    harmless: int = 0
    harmless_changed: int = 0
    by_entity: Counter[str] = field(default_factory=Counter)
    caught_by_entity: Counter[str] = field(default_factory=Counter)
    by_genre: Counter[str] = field(default_factory=Counter)
    caught_by_genre: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def caught_share(self) -> float:
        return self.caught / self.values if self.values else 0.0

    @property
    def changed_share(self) -> float:
        return self.harmless_changed / self.harmless if self.harmless else 0.0


def evaluate(
    name: str, scan: Callable[[str], list[Span]], records: Sequence[dict[str, Any]]
) -> RoundResult:
    res = RoundResult(name)
    for rec in records:
        text = rec["text"]
        spans = [(s, e) for t, s, e in scan(text) if t not in MONITOR_ONLY]
        genre = str(rec.get("genre", rec.get("variant", "")))
        if rec["kind"] == "harmless":
            res.harmless += 1
            if spans:
                res.harmless_changed += 1
                res.changed.append({"id": rec["id"], "found": [text[s:e] for s, e in spans]})
            continue
        for exp in rec["expect"]:
            ent, value = exp["entity"], exp["value"]
            res.values += 1
            res.by_entity[ent] += 1
            res.by_genre[genre] += 1
            occ = occurrences(text, value)
            if occ and all(covers(spans, a, b, text) for a, b in occ):
                res.caught += 1
                res.caught_by_entity[ent] += 1
                res.caught_by_genre[genre] += 1
            else:
                res.misses.append({"id": rec["id"], "entity": ent, "value": value})
    return res


def report(results: Sequence[RoundResult]) -> str:
    out = [
        "| Round (unseen prompts) | values | caught | harmless prompts changed |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        out.append(
            f"| {r.name} | {r.values} | {r.caught} ({r.caught_share:.1%}) | "
            f"{r.harmless_changed}/{r.harmless} ({r.changed_share:.1%}) |"
        )
    for r in results:
        out += ["", f"{r.name}, by entity:", ""]
        out += [
            f"- {e}: {r.caught_by_entity[e]}/{n}"
            for e, n in sorted(r.by_entity.items(), key=lambda kv: -kv[1])
        ]
        out += ["", f"{r.name}, by genre: "]
        out.append(
            ", ".join(f"{g} {r.caught_by_genre[g]}/{n}" for g, n in sorted(r.by_genre.items()))
        )
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from bench.quality import force_offline, quiet, sekimori_engine

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, action="append", help="JSONL round file(s)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--misses", type=int, default=0, help="print this many misses")
    args = ap.parse_args(argv)
    paths = args.set or ROUNDS
    force_offline()
    quiet()
    scan, _load = sekimori_engine()
    results = [evaluate(p.stem, scan, load_set(p)) for p in paths]
    print(report(results))
    for r in results:
        for m in r.misses[: args.misses]:
            print("miss", json.dumps(m, ensure_ascii=False), file=sys.stderr)
        for c in r.changed[: args.misses]:
            print("changed", json.dumps(c, ensure_ascii=False), file=sys.stderr)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    r.name: {
                        "values": r.values,
                        "caught": r.caught,
                        "harmless": r.harmless,
                        "harmless_changed": r.harmless_changed,
                        "misses": r.misses,
                        "changed": r.changed,
                    }
                    for r in results
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
