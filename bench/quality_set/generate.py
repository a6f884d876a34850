"""Build, write and check the set: the families in their seeded order, then ids."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import cast

from bench.quality_set.engine import SEED, Builder, expand_forms, expand_structured
from bench.quality_set.families import markers, mixed, people, secrets, sensitive_info
from bench.quality_set.families.addresses import ADDRESSES
from bench.quality_set.families.dates import DATES_OF_BIRTH
from bench.quality_set.families.emails import EMAILS
from bench.quality_set.families.harmless import HARMLESS
from bench.quality_set.families.identifiers import IDENTIFIERS, NEW_IDENTIFIERS

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "tests" / "data" / "quality" / "quality.jsonl"


def build(seed: int = SEED) -> list[dict[str, object]]:
    b = Builder(seed)
    for family in IDENTIFIERS:
        expand_structured(b, family)
    expand_forms(b, ADDRESSES)
    expand_forms(b, EMAILS)
    expand_forms(b, DATES_OF_BIRTH)
    people.expand(b)
    secrets.expand(b)
    markers.expand(b)
    sensitive_info.expand(b)
    mixed.expand(b)
    expand_forms(b, HARMLESS)
    for family in NEW_IDENTIFIERS:
        expand_structured(b, family)
    out = []
    for n, rec in enumerate(b.records, start=1):
        rec = dict(rec)
        prefix = "h" if rec["kind"] == "harmless" else "s"
        rec["id"] = f"{prefix}{n:04d}"
        out.append({k: rec[k] for k in ("id", "text", "expect", "variant", "kind", "group")})
    return out


def dump(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def stats(records: list[dict[str, object]]) -> str:
    kinds = Counter(str(r["kind"]) for r in records)
    per_entity: Counter[str] = Counter()
    per_variant: Counter[tuple[str, str]] = Counter()
    for r in records:
        for e in cast(list[dict[str, str]], r["expect"]):
            per_entity[e["entity"]] += 1
        per_variant[(str(r["group"]), str(r["variant"]))] += 1
    lines = [
        f"records: {len(records)}  sensitive: {kinds['sensitive']}  harmless: {kinds['harmless']}",
        "expected values per entity:",
    ]
    lines += [f"  {k:26s} {v}" for k, v in sorted(per_entity.items())]
    lines.append("records per group/variant:")
    lines += [f"  {g:26s} {v:18s} {n}" for (g, v), n in sorted(per_variant.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Build the labelled Japanese evaluation set tests/data/quality/quality.jsonl."
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail if the file is not up to date")
    ap.add_argument("--stats", action="store_true")
    args = ap.parse_args(argv)
    records = build()
    text = dump(records)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; run python -m bench.quality_set", file=sys.stderr)
            return 1
        print("up to date")
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {len(records)} records to {args.out}")
    if args.stats:
        print(stats(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
