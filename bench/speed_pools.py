"""Scanner speed per pool, with stock Presidio on the same texts in the same run.

    python -m bench.speed_pools [--quick] [--md OUT] [--json OUT]

For each pool (bench.pools: synthetic, unseen red-team prompts, Wikipedia prose) and size,
every measured text is a different one (another seed), so no cache sees a text twice.
Reported per row: Sekimori fast p50/p99, stock Presidio + ja_ginza p50 (15,000-character
chunks: Sudachi refuses more), the ratio, and the NER gate: share of texts that ran GiNZA,
share of characters under NER windows, and the share of windows in which GiNZA found a
person (the gate's precision).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from bench.pools import pool

ROOT = Path(__file__).resolve().parent.parent
STOCK_CHUNK = 15_000
# (pool, size, texts for Sekimori, texts for stock)
PLAN = (
    ("synthetic", 1_000, 60, 8),
    ("unseen", 1_000, 60, 8),
    ("unseen", 5_000, 12, 3),
    ("wiki", 1_000, 60, 8),
    ("wiki", 5_000, 12, 3),
    ("wiki", 100_000, 1, 1),
)
QUICK = (("unseen", 1_000, 20, 3), ("wiki", 1_000, 20, 3))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(plan: tuple[tuple[str, int, int, int], ...]) -> list[dict[str, Any]]:
    from bench.quality import force_offline, quiet
    from bench.speed import stock_analyzer
    from detectors.engine import Scanner
    from detectors.nlp import GateStats
    from detectors.settings import DetectionSettings

    force_offline()
    quiet()
    stock = stock_analyzer()
    scanner = Scanner.load()
    settings = DetectionSettings()  # the default mode: rules
    gated = DetectionSettings(mode="fast")  # GiNZA on the gate, for the gate columns
    scanner.scan(pool("synthetic")(500, 99), settings)
    scanner.scan(pool("synthetic")(500, 98), gated)
    rows = []
    for name, size, n, n_stock in plan:
        make = pool(name)
        times = []
        for seed in range(n):
            text = make(size, 1000 + seed)
            t0 = time.perf_counter()
            scanner.scan(text, settings)
            times.append(time.perf_counter() - t0)
        scanner.nlp_engine.stats = GateStats()
        gated_times = []
        for seed in range(n):
            text = make(size, 1000 + seed)  # scan() keeps no cache of whole texts
            t0 = time.perf_counter()
            scanner.scan(text, gated)
            gated_times.append(time.perf_counter() - t0)
        gate = scanner.nlp_engine.stats
        stock_times = []
        for seed in range(n_stock):
            text = make(size, 1000 + seed)
            t0 = time.perf_counter()
            for i in range(0, len(text), STOCK_CHUNK):
                stock.analyze(text[i : i + STOCK_CHUNK], language="ja")
            stock_times.append(time.perf_counter() - t0)
        rules_p50, stock_p50 = _pct(times, 0.5), _pct(stock_times, 0.5)
        row = {
            "pool": name,
            "chars": size,
            "texts": n,
            "p50_ms": rules_p50 * 1000,
            "p99_ms": _pct(times, 0.99) * 1000,
            "gated_p50_ms": _pct(gated_times, 0.5) * 1000,
            "gated_ratio": stock_p50 / _pct(gated_times, 0.5),
            "stock_p50_ms": stock_p50 * 1000,
            "stock_texts": n_stock,
            "ratio": stock_p50 / rules_p50,
            "gate": asdict(gate),
        }
        rows.append(row)
        print(
            f"  {name:>9} {size:>7}: rules {row['p50_ms']:8.1f} ms p50, "
            f"{row['p99_ms']:8.1f} p99; stock {row['stock_p50_ms']:9.1f} ms; "
            f"{row['ratio']:5.1f}x; NER on {gate.ner_chars / max(1, gate.chars):.1%} of chars",
            flush=True,
        )
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    out = [
        f"Measured {date.today().isoformat()} (bench.speed_pools; every text a different one).",
        "",
        "Sekimori = the default mode (rules: no GiNZA). The fast columns are the same texts in "
        "fast mode (GiNZA on the gate); its gate: share of texts that ran GiNZA, share of "
        "characters under NER windows, windows in which GiNZA found a person.",
        "",
        "| pool | chars | texts | Sekimori p50 | p99 | stock Presidio p50 | ratio | "
        "fast p50 | fast ratio | texts with NER | chars under NER | windows finding a person |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        g = r["gate"]
        out.append(
            f"| {r['pool']} | {r['chars']:,} | {r['texts']} | {r['p50_ms']:.1f} ms | "
            f"{r['p99_ms']:.1f} ms | {r['stock_p50_ms']:,.0f} ms | **{r['ratio']:.0f}x** | "
            f"{r['gated_p50_ms']:.1f} ms | {r['gated_ratio']:.0f}x | "
            f"{g['texts_with_ner'] / max(1, g['texts']):.0%} | "
            f"{g['ner_chars'] / max(1, g['chars']):.1%} | "
            f"{g['windows_with_person']}/{g['windows']} |"
        )
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--md", type=Path, default=ROOT / "bench" / "results" / "speed_pools.md")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "speed_pools.json")
    args = ap.parse_args(argv)
    rows = run(QUICK if args.quick else PLAN)
    text = report(rows)
    print(text)
    args.md.write_text(text, encoding="utf-8")
    args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
