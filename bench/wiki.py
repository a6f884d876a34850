"""Person recall and over-masking on real Japanese prose nobody here wrote.

    python -m bench.wiki [--data FILE] [--json OUT] [--misses N]

Pool: ``bench/data/wiki_ner_dev.jsonl`` (Wikipedia sentences annotated by others, CC-BY-SA 3.0;
see ``bench/data/README.md``).

* **person recall** — share of 人名 spans that the findings cover completely (every
  non-space character). ``masked`` counts a finding of any type (what leaves the proxy);
  ``as PERSON`` counts PERSON findings only.
* **sentences without a person changed** — share of sentences with no 人名 span that get at
  least one finding of any type (the proxy would alter them). PERSON findings there are
  listed separately: they are the over-masking a reader notices (サッカー as a name).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.quality import covers

ROOT = Path(__file__).resolve().parent.parent
WIKI = ROOT / "bench" / "data" / "wiki_ner_dev.jsonl"
PERSON_LABEL = "人名"

Span = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class Sentence:
    curid: str
    text: str
    persons: tuple[tuple[int, int], ...]


def load(path: Path = WIKI) -> list[Sentence]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            persons = tuple(
                (e["span"][0], e["span"][1]) for e in rec["entities"] if e["type"] == PERSON_LABEL
            )
            out.append(Sentence(str(rec["curid"]), rec["text"], persons))
    return out


def paragraphs(sentences: Sequence[Sentence]) -> Iterator[str]:
    """Consecutive sentences of one article, joined: realistic prose for the speed pool."""
    current: list[str] = []
    curid = None
    for s in sentences:
        if s.curid != curid and current:
            yield "".join(current)
            current = []
        curid = s.curid
        current.append(s.text)
    if current:
        yield "".join(current)


@dataclass
class WikiResult:
    name: str
    sentences: int = 0
    persons: int = 0
    masked: int = 0
    as_person: int = 0
    without_person: int = 0
    without_person_changed: int = 0
    without_person_person: int = 0
    changed_types: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    over: list[tuple[str, str]] = field(default_factory=list)
    chars: int = 0
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return self.masked / self.persons if self.persons else 0.0

    @property
    def person_recall(self) -> float:
        return self.as_person / self.persons if self.persons else 0.0

    @property
    def changed_share(self) -> float:
        return self.without_person_changed / self.without_person if self.without_person else 0.0


def evaluate(name: str, scan: Callable[[str], list[Span]], pool: Sequence[Sentence]) -> WikiResult:
    res = WikiResult(name)
    for s in pool:
        t0 = time.perf_counter()
        found = scan(s.text)
        res.seconds += time.perf_counter() - t0
        res.chars += len(s.text)
        res.sentences += 1
        every = [(a, b) for _t, a, b in found]
        persons = [(a, b) for t, a, b in found if t == "PERSON"]
        for a, b in s.persons:
            res.persons += 1
            if covers(every, a, b, s.text):
                res.masked += 1
            else:
                res.misses.append(s.text[a:b])
            if covers(persons, a, b, s.text):
                res.as_person += 1
        if not s.persons:
            res.without_person += 1
            if found:
                res.without_person_changed += 1
                res.changed_types.update(t for t, _a, _b in found)
            if persons:
                res.without_person_person += 1
                res.over.extend(("PERSON", s.text[a:b]) for a, b in persons)
    return res


def report(results: Sequence[WikiResult]) -> str:
    out = [
        "### Real prose: Wikipedia sentences (bench/data/wiki_ner_dev.jsonl, annotated by others)",
        "",
        "| Engine | sentences | 人名 spans | masked (any type) | as PERSON | "
        "sentences without a person changed | of them by PERSON | chars/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        out.append(
            f"| {r.name} | {r.sentences} | {r.persons} | {r.masked} ({r.recall:.1%}) | "
            f"{r.as_person} ({r.person_recall:.1%}) | "
            f"{r.without_person_changed}/{r.without_person} ({r.changed_share:.1%}) | "
            f"{r.without_person_person} | {r.chars / r.seconds:,.0f} |"
        )
    for r in results:
        if r.changed_types:
            out.append("")
            out.append(
                f"- {r.name}: finding types in sentences without a person: "
                + ", ".join(f"{k} {v}" for k, v in r.changed_types.most_common())
            )
    out.append("")
    return "\n".join(out)


def to_json(r: WikiResult) -> dict[str, object]:
    return {
        "sentences": r.sentences,
        "persons": r.persons,
        "masked": r.masked,
        "recall": r.recall,
        "as_person": r.as_person,
        "person_recall": r.person_recall,
        "without_person": r.without_person,
        "without_person_changed": r.without_person_changed,
        "changed_share": r.changed_share,
        "without_person_by_person": r.without_person_person,
        "changed_types": dict(r.changed_types),
        "chars_per_second": round(r.chars / r.seconds) if r.seconds else None,
    }


def main(argv: list[str] | None = None) -> int:
    from bench.quality import force_offline, quiet, sekimori_engine

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=WIKI)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--misses", type=int, default=0, help="print this many misses and over-masks")
    args = ap.parse_args(argv)
    force_offline()
    quiet()
    pool = load(args.data)
    scan, _load = sekimori_engine()
    res = evaluate("Sekimori", scan, pool)
    print(report([res]))
    if args.misses:
        print("misses:", ", ".join(res.misses[: args.misses]), file=sys.stderr)
        print("over:", ", ".join(v for _t, v in res.over[: args.misses]), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(to_json(res), ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
