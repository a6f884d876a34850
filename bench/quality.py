"""Detection quality of Sekimori (and, with ``--stock``, of stock Presidio + ja_ginza).

    python -m bench.quality [--set FILE] [--stock] [--json OUT] [--no-corpus]

Loads the labelled set (default ``tests/data/quality/quality.jsonl``, built by
``bench/quality_set/``), scans every prompt and prints Markdown tables: per entity
support, true positives, precision and recall; recall per writing variant; the share of
harmless prompts that would be changed; throughput in characters per second. Then PERSON
recall on real Japanese news sentences (the ``hironsancorpus`` package, IOB2, PSN = person).

Matching rule
-------------
* An expected ``{"entity", "value"}`` is **found** when, at *every* place the value
  occurs in the original text, the findings of the *same entity type* together cover
  the whole span of the value (their union contains every character of ``[start, end)``
  except whitespace inside it, so 山田 and 太郎 found separately still mask 山田 太郎). A
  finding wider than the value still counts; one that covers only part of it does not.
* A finding is a **false positive** when it does not overlap any occurrence of any
  expected value of its entity type in that prompt (findings in harmless prompts are
  therefore all false positives).
* Precision = findings that overlap an expected value of their type / all findings of
  that type. Recall = found expected values / expected values.
* "Harmless prompts changed" = share of ``kind == "harmless"`` prompts with at least one
  finding of any type (including types outside the evaluated list), i.e. prompts a proxy
  would have altered.
* Stock Presidio entity names are mapped where they obviously correspond: PHONE_NUMBER,
  EMAIL_ADDRESS, CREDIT_CARD, PERSON, LOCATION -> ADDRESS, DATE_TIME -> DATE_OF_BIRTH.
  Other stock types (URL, IP_ADDRESS, ...) are counted under "unmapped" and only affect
  the harmless-prompt share.

Offline: tldextract (used by Presidio's e-mail recognizer) is pointed at its bundled
public suffix snapshot, and outgoing network connections are refused during the run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "tests" / "data" / "quality" / "quality.jsonl"

ENTITY_ORDER = [
    "JP_MY_NUMBER",
    "JP_CORPORATE_NUMBER",
    "PHONE_NUMBER",
    "JP_POSTAL_CODE",
    "ADDRESS",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "JP_BANK_ACCOUNT",
    "JP_PASSPORT",
    "JP_DRIVER_LICENSE",
    "JP_RESIDENCE_CARD",
    "JP_PENSION_NUMBER",
    "JP_HEALTH_INSURANCE",
    "JP_EMPLOYMENT_INSURANCE",
    "JP_RESIDENT_CODE",
    "DATE_OF_BIRTH",
    "PERSON",
    "SECRET",
    "CONFIDENTIAL_MARKER",
    "SENSITIVE_PERSONAL_INFO",
]
STOCK_MAP = {
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "CREDIT_CARD": "CREDIT_CARD",
    "PERSON": "PERSON",
    "LOCATION": "ADDRESS",
    "DATE_TIME": "DATE_OF_BIRTH",
}

Span = tuple[str, int, int]  # (entity type, start, end) in the original text
ScanFn = Callable[[str], list[Span]]


# ---------------------------------------------------------------------------------------
# Offline guards
# ---------------------------------------------------------------------------------------
def force_offline() -> None:
    """Bundled public-suffix list for tldextract; refuse outgoing connections."""
    os.environ.setdefault("TLDEXTRACT_CACHE", tempfile.mkdtemp(prefix="tldextract-"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import tldextract
    import tldextract.tldextract as impl

    impl.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("network access is disabled in bench.quality")

    socket.create_connection = refuse
    original_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else str(address)
            if host not in ("127.0.0.1", "::1", "localhost"):
                raise OSError("network access is disabled in bench.quality")
        return original_connect(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]


def quiet() -> None:
    warnings.filterwarnings("ignore")
    for name in ("presidio-analyzer", "presidio_analyzer", "spacy", "ginza"):
        logging.getLogger(name).setLevel(logging.ERROR)


# ---------------------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------------------
def sekimori_engine(mode: str = "rules") -> tuple[ScanFn, float]:
    t0 = time.perf_counter()
    from detectors.engine import Scanner
    from detectors.settings import DetectionSettings

    scanner = Scanner.load()
    settings = DetectionSettings(mode=mode)  # type: ignore[arg-type]

    def scan(text: str) -> list[Span]:
        return [(f.entity_type, f.start, f.end) for f in scanner.scan(text, settings)]

    return scan, time.perf_counter() - t0


def stock_engine() -> tuple[ScanFn, float]:
    """Stock Presidio configured the way a typical user would for Japanese."""
    t0 = time.perf_counter()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "ja", "model_name": "ja_ginza"}],
        }
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["ja"])

    def scan(text: str) -> list[Span]:
        return [(r.entity_type, r.start, r.end) for r in analyzer.analyze(text=text, language="ja")]

    return scan, time.perf_counter() - t0


# ---------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------
def occurrences(text: str, value: str) -> list[tuple[int, int]]:
    out, start = [], text.find(value)
    while start >= 0:
        out.append((start, start + len(value)))
        start = text.find(value, start + 1)
    return out


def covers(intervals: Iterable[tuple[int, int]], start: int, end: int, text: str = "") -> bool:
    """Does the union of ``intervals`` contain every character of [start, end)? When
    ``text`` is given, whitespace characters inside the span need not be covered (a name
    masked as two parts, 山田 and 太郎, around its space is masked)."""
    spans = sorted(intervals)
    for i in range(start, end):
        if text and text[i].isspace():
            continue
        if not any(a <= i < b for a, b in spans):
            return False
    return True


def primary_entity(record: dict[str, Any]) -> str:
    return str(record.get("group", "")).split("/")[0]


@dataclass
class Result:
    name: str
    support: Counter[str] = field(default_factory=Counter)
    tp: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    matched_findings: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)
    variant_support: Counter[tuple[str, str]] = field(default_factory=Counter)
    variant_tp: Counter[tuple[str, str]] = field(default_factory=Counter)
    harmless_total: int = 0
    harmless_changed: int = 0
    harmless_by_type: Counter[str] = field(default_factory=Counter)
    harmless_by_family: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    chars: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    errors: int = 0

    def precision(self, entity: str | None = None) -> float | None:
        n = sum(self.findings.values()) if entity is None else self.findings[entity]
        m = sum(self.matched_findings.values()) if entity is None else self.matched_findings[entity]
        return m / n if n else None

    def recall(self, entity: str | None = None) -> float | None:
        n = sum(self.support.values()) if entity is None else self.support[entity]
        t = sum(self.tp.values()) if entity is None else self.tp[entity]
        return t / n if n else None


def evaluate(
    name: str,
    scan: ScanFn,
    records: Sequence[dict[str, Any]],
    mapping: dict[str, str] | None = None,
    load_seconds: float = 0.0,
) -> Result:
    res = Result(name, load_seconds=load_seconds)
    evaluated = set(ENTITY_ORDER)
    for rec in records:
        text = rec["text"]
        t0 = time.perf_counter()
        try:
            raw = scan(text)
        except Exception as exc:  # a crash is a miss for every value, and is reported
            res.errors += 1
            print(f"  ! {name} failed on {rec['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            raw = []
        res.seconds += time.perf_counter() - t0
        res.chars += len(text)
        spans: list[Span] = []
        for ent, s, e in raw:
            ent = mapping.get(ent, f"~{ent}") if mapping is not None else ent
            if ent in evaluated:
                spans.append((ent, s, e))
            else:
                res.unmapped[ent.lstrip("~")] += 1
        if rec["kind"] == "harmless":
            res.harmless_total += 1
            if raw:
                res.harmless_changed += 1
                res.harmless_by_family[rec["variant"]] += 1
                for ent, _s, _e in raw:
                    res.harmless_by_type[mapping.get(ent, ent) if mapping else ent] += 1
        primary = primary_entity(rec)
        expected_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for exp in rec["expect"]:
            ent, value = exp["entity"], exp["value"]
            occ = occurrences(text, value)
            expected_spans[ent].extend(occ)
            variant = rec["variant"] if ent == primary or primary == "mixed" else "secondary"
            res.support[ent] += 1
            res.variant_support[(ent, variant)] += 1
            mine = [(s, e) for t, s, e in spans if t == ent]
            if occ and all(covers(mine, a, b, text) for a, b in occ):
                res.tp[ent] += 1
                res.variant_tp[(ent, variant)] += 1
            else:
                res.misses.append(
                    {
                        "id": rec["id"],
                        "entity": ent,
                        "variant": variant,
                        "value": value,
                        "found": [(t, text[s:e]) for t, s, e in spans if t == ent],
                    }
                )
        for ent, s, e in spans:
            res.findings[ent] += 1
            if any(a < e and s < b for a, b in expected_spans.get(ent, [])):
                res.matched_findings[ent] += 1
            else:
                res.false_positives.append(
                    {"id": rec["id"], "entity": ent, "text": text[s:e], "kind": rec["kind"]}
                )
    return res


# ---------------------------------------------------------------------------------------
# hironsan news corpus: PERSON recall
# ---------------------------------------------------------------------------------------
def load_hironsan() -> list[tuple[str, list[tuple[int, int]]]]:
    from importlib import resources

    path = resources.files("hironsan.corpus").joinpath("iob_sents.txt")
    sentences: list[tuple[str, list[tuple[int, int]]]] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        if not tokens:
            return
        text, spans, pos = "", [], 0
        cur: list[int] | None = None
        for tok, tag in tokens:
            start, end = pos, pos + len(tok)
            if tag == "B-PSN" or (tag == "I-PSN" and cur is None):
                if cur is not None:
                    spans.append((cur[0], cur[1]))
                cur = [start, end]
            elif tag == "I-PSN" and cur is not None:
                cur[1] = end
            else:
                if cur is not None:
                    spans.append((cur[0], cur[1]))
                cur = None
            text += tok
            pos = end
        if cur is not None:
            spans.append((cur[0], cur[1]))
        sentences.append((text, spans))
        tokens.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        cols = line.split("\t")
        tokens.append((cols[0], cols[-1].strip()))
    flush()
    return sentences


@dataclass
class CorpusResult:
    name: str
    sentences: int = 0
    psn: int = 0
    found: int = 0
    person_findings: int = 0
    spurious: int = 0
    chars: int = 0
    seconds: float = 0.0


def evaluate_corpus(
    name: str,
    scan: ScanFn,
    sentences: Sequence[tuple[str, list[tuple[int, int]]]],
    mapping: dict[str, str] | None = None,
) -> CorpusResult:
    res = CorpusResult(name)
    for text, psn in sentences:
        t0 = time.perf_counter()
        raw = scan(text)
        res.seconds += time.perf_counter() - t0
        res.chars += len(text)
        res.sentences += 1
        persons = [(s, e) for t, s, e in raw if (mapping.get(t, t) if mapping else t) == "PERSON"]
        res.psn += len(psn)
        res.found += sum(1 for a, b in psn if covers(persons, a, b, text))
        res.person_findings += len(persons)
        res.spurious += sum(1 for s, e in persons if not any(a < e and s < b for a, b in psn))
    return res


# ---------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------
def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def report(
    results: list[Result], records: Sequence[dict[str, Any]], corpus: list[CorpusResult]
) -> str:
    kinds = Counter(r["kind"] for r in records)
    out = [
        f"## Detection quality — {len(records)} prompts "
        f"({kinds['sensitive']} sensitive, {kinds['harmless']} harmless)",
        "",
    ]
    head = ["Entity", "Support"]
    for r in results:
        head += [f"{r.name} TP", f"{r.name} P", f"{r.name} R"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for ent in ENTITY_ORDER:
        row = [ent, str(results[0].support[ent])]
        for r in results:
            row += [str(r.tp[ent]), pct(r.precision(ent)), pct(r.recall(ent))]
        out.append("| " + " | ".join(row) + " |")
    row = ["**overall**", str(sum(results[0].support.values()))]
    for r in results:
        row += [str(sum(r.tp.values())), pct(r.precision()), pct(r.recall())]
    out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("| Measure | " + " | ".join(r.name for r in results) + " |")
    out.append("|---|" + "---|" * len(results))
    out.append(
        "| harmless prompts changed | "
        + " | ".join(
            f"{r.harmless_changed}/{r.harmless_total} ({pct(r.harmless_changed / r.harmless_total if r.harmless_total else None)})"
            for r in results
        )
        + " |"
    )
    out.append(
        "| false-positive findings | "
        + " | ".join(
            str(sum(r.findings.values()) - sum(r.matched_findings.values())) for r in results
        )
        + " |"
    )
    out.append(
        "| unmapped findings (not scored) | "
        + " | ".join(str(sum(r.unmapped.values())) for r in results)
        + " |"
    )
    out.append(
        "| throughput (chars/s) | "
        + " | ".join(f"{r.chars / r.seconds:,.0f}" if r.seconds else "—" for r in results)
        + " |"
    )
    out.append(
        "| ms per prompt (mean) | "
        + " | ".join(f"{1000 * r.seconds / len(records):.1f}" for r in results)
        + " |"
    )
    out.append("| model load (s) | " + " | ".join(f"{r.load_seconds:.1f}" for r in results) + " |")
    out.append("| scan errors | " + " | ".join(str(r.errors) for r in results) + " |")
    out.append("")

    out.append("### Recall by writing variant (the entity the prompt was built for)")
    out.append("")
    head = ["Entity", "Variant", "Support"] + [f"{r.name} R" for r in results]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    keys = sorted(
        results[0].variant_support,
        key=lambda k: (ENTITY_ORDER.index(k[0]) if k[0] in ENTITY_ORDER else 99, k[1]),
    )
    for key in keys:
        if key[1] == "secondary":
            continue
        n = results[0].variant_support[key]
        row = [key[0], key[1], str(n)] + [
            f"{r.variant_tp[key]}/{n} ({pct(r.variant_tp[key] / n)})" for r in results
        ]
        out.append("| " + " | ".join(row) + " |")
    out.append("")

    for r in results:
        if r.harmless_by_family:
            out.append(f"### {r.name}: harmless prompts changed, by prompt family / finding type")
            out.append("")
            out.append(
                "- families: "
                + ", ".join(
                    f"{k} {v}"
                    for k, v in sorted(r.harmless_by_family.items(), key=lambda kv: (-kv[1], kv[0]))
                )
            )
            out.append(
                "- finding types: "
                + ", ".join(
                    f"{k} {v}"
                    for k, v in sorted(r.harmless_by_type.items(), key=lambda kv: (-kv[1], kv[0]))
                )
            )
            out.append("")
        if r.unmapped:
            out.append(
                f"- {r.name} unmapped types: "
                + ", ".join(f"{k} {v}" for k, v in sorted(r.unmapped.items()))
            )
            out.append("")

    if corpus:
        out.append("### PERSON recall on news sentences (hironsancorpus 0.1.2, PSN spans)")
        out.append("")
        out.append(
            "| Engine | Sentences | PSN spans | Found (fully covered) | Recall | "
            "PERSON findings | overlapping no PSN | chars/s |"
        )
        out.append("|---|---|---|---|---|---|---|---|")
        for c in corpus:
            out.append(
                f"| {c.name} | {c.sentences} | {c.psn} | {c.found} | "
                f"{pct(c.found / c.psn if c.psn else None)} | {c.person_findings} | "
                f"{c.spurious} | {c.chars / c.seconds:,.0f} |"
            )
        out.append("")
    return "\n".join(out)


def load_set(path: Path) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            rec = json.loads(line)
            rec.setdefault("id", f"line{n}")
            rec.setdefault("kind", "sensitive" if rec.get("expect") else "harmless")
            rec.setdefault("variant", "plain")
            rec.setdefault("group", rec["expect"][0]["entity"] if rec.get("expect") else "harmless")
            for exp in rec["expect"]:
                if exp["value"] not in rec["text"]:
                    raise ValueError(f"{path}:{n}: value {exp['value']!r} not in text")
            records.append(rec)
    return records


def to_json(results: list[Result], corpus: list[CorpusResult]) -> dict[str, Any]:
    out: dict[str, Any] = {"engines": {}, "corpus": {}}
    for r in results:
        out["engines"][r.name] = {
            "per_entity": {
                e: {
                    "support": r.support[e],
                    "tp": r.tp[e],
                    "findings": r.findings[e],
                    "matched_findings": r.matched_findings[e],
                    "precision": r.precision(e),
                    "recall": r.recall(e),
                }
                for e in ENTITY_ORDER
            },
            "overall": {
                "support": sum(r.support.values()),
                "tp": sum(r.tp.values()),
                "precision": r.precision(),
                "recall": r.recall(),
            },
            "per_variant": {
                f"{e}/{v}": {"support": n, "tp": r.variant_tp[(e, v)]}
                for (e, v), n in sorted(r.variant_support.items())
            },
            "harmless": {
                "total": r.harmless_total,
                "changed": r.harmless_changed,
                "by_family": dict(sorted(r.harmless_by_family.items())),
                "by_type": dict(sorted(r.harmless_by_type.items())),
            },
            "unmapped": dict(sorted(r.unmapped.items())),
            "chars": r.chars,
            "seconds": round(r.seconds, 3),
            "chars_per_second": round(r.chars / r.seconds) if r.seconds else None,
            "load_seconds": round(r.load_seconds, 3),
            "errors": r.errors,
            "misses": r.misses,
            "false_positives": r.false_positives,
        }
    for c in corpus:
        out["corpus"][c.name] = {
            "sentences": c.sentences,
            "psn_spans": c.psn,
            "found": c.found,
            "recall": c.found / c.psn if c.psn else None,
            "person_findings": c.person_findings,
            "spurious_person_findings": c.spurious,
            "chars_per_second": round(c.chars / c.seconds) if c.seconds else None,
        }
    return out


def _mapped(scan: ScanFn, mapping: dict[str, str] | None) -> ScanFn:
    """Stock Presidio's types under Sekimori's names (PERSON, ...), others kept."""
    if mapping is None:
        return scan
    return lambda text: [(mapping.get(t, t), s, e) for t, s, e in scan(text)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Detection quality of Sekimori vs stock Presidio.")
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="JSONL evaluation set")
    ap.add_argument(
        "--stock", action="store_true", help="also run stock Presidio AnalyzerEngine + ja_ginza"
    )
    ap.add_argument("--json", type=Path, help="write all metrics, misses and false positives here")
    ap.add_argument("--md", type=Path, help="write the Markdown report here as well")
    ap.add_argument("--no-corpus", action="store_true", help="skip the hironsan news corpus")
    ap.add_argument("--no-wiki", action="store_true", help="skip the Wikipedia prose pool")
    ap.add_argument(
        "--thorough",
        action="store_true",
        help="also run Sekimori's fast (GiNZA on the gate) and thorough (GiNZA on every "
        "sentence) modes beside the default rules mode",
    )
    args = ap.parse_args(argv)

    force_offline()
    quiet()
    records = load_set(args.set)
    try:
        sentences = [] if args.no_corpus else load_hironsan()
    except ModuleNotFoundError:
        print(
            "hironsancorpus is not installed; skipping the news-corpus check "
            "(.venv/bin/pip install hironsancorpus==0.1.2)",
            file=sys.stderr,
        )
        sentences = []

    engines: list[tuple[str, ScanFn, float, dict[str, str] | None]] = []
    if args.stock:
        # Built BEFORE detectors is imported: Presidio's default registry looks recognizer
        # classes up by class name among all loaded EntityRecognizer subclasses, and
        # a Sekimori class of the same name would be picked (they are prefixed Jp now).
        scan, load = stock_engine()
        quiet()
        engines.append(("Stock", scan, load, STOCK_MAP))
    scan, load = sekimori_engine()
    engines.insert(0, ("Sekimori", scan, load, None))
    if args.thorough:
        scan, load = sekimori_engine("fast")
        engines.insert(1, ("Sekimori fast", scan, load, None))
        scan, load = sekimori_engine("thorough")
        engines.insert(2, ("Sekimori thorough", scan, load, None))

    results, corpus = [], []
    for name, scan, load, mapping in engines:
        print(f"scanning {len(records)} prompts with {name} ...", file=sys.stderr)
        results.append(evaluate(name, scan, records, mapping, load))
        if sentences:
            print(f"scanning {len(sentences)} news sentences with {name} ...", file=sys.stderr)
            corpus.append(evaluate_corpus(name, scan, sentences, mapping))

    text = report(results, records, corpus)
    # Text nobody here wrote: the blind red-team rounds and Wikipedia prose.
    from bench import unseen, wiki

    rounds = [(p.stem, load_set(p)) for p in unseen.ROUNDS]
    wiki_pool = [] if args.no_wiki else wiki.load()
    unseen_results, wiki_results = [], []
    for name, scan, _load, mapping in engines:
        mapped = _mapped(scan, mapping)
        for stem, recs in rounds:
            unseen_results.append(unseen.evaluate(f"{name}: {stem}", mapped, recs))
        if wiki_pool:
            print(f"scanning {len(wiki_pool)} Wikipedia sentences with {name} ...", file=sys.stderr)
            wiki_results.append(wiki.evaluate(name, mapped, wiki_pool))
    if unseen_results:
        text += (
            "\n### Blind red-team prompts (tests/data/quality/unseen_r*.jsonl), today's code\n\n"
        )
        text += unseen.report(unseen_results)
    if wiki_results:
        text += "\n" + wiki.report(wiki_results)
    print(text)
    if args.md:
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(f"Measured {date.today().isoformat()}.\n\n" + text, encoding="utf-8")
        print(f"wrote {args.md}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(to_json(results, corpus), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
