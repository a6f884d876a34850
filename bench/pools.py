"""Speed pools: texts of a given size from three sources.

- ``synthetic``: bench/texts.py, the project's own templates (a regression floor);
- ``unseen``: the blind red-team prompts (tests/data/quality/unseen_r*.jsonl), nobody here
  wrote them: e-mails, minutes, CSV pastes, chat logs, code, HR notes, English;
- ``wiki``: consecutive sentences of Japanese Wikipedia articles (bench/data/wiki_ner_dev.jsonl,
  CC-BY-SA 3.0), name-dense prose.

Every call with another seed gives another text, so a benchmark can measure distinct
prompts instead of one text repeated (caches would flatter a repeated one).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path

from bench.texts import business_text

ROOT = Path(__file__).resolve().parent.parent
POOLS = ("synthetic", "unseen", "wiki")


@cache
def _unseen() -> tuple[str, ...]:
    out: list[str] = []
    for path in sorted((ROOT / "tests" / "data" / "quality").glob("unseen_r*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            out.extend(json.loads(line)["text"] for line in fh if line.strip())
    return tuple(out)


@cache
def _wiki() -> tuple[str, ...]:
    from bench.wiki import load

    return tuple(s.text for s in load())


def _assemble(pieces: tuple[str, ...], size: int, seed: int, joiner: str, ordered: bool) -> str:
    rng = random.Random(seed)
    start = rng.randrange(len(pieces))
    out: list[str] = []
    length = 0
    k = start
    while length < size:
        piece = pieces[k % len(pieces)] if ordered else pieces[rng.randrange(len(pieces))]
        out.append(piece)
        length += len(piece) + len(joiner)
        k += 1
    return joiner.join(out)[:size]


def unseen_text(size: int, seed: int = 0) -> str:
    """Red-team prompts, shuffled and joined as one paste, cut to ``size`` characters."""
    return _assemble(_unseen(), size, seed, "\n\n", ordered=False)


def wiki_text(size: int, seed: int = 0) -> str:
    """Consecutive Wikipedia sentences (article order) from a random start."""
    return _assemble(_wiki(), size, seed, "", ordered=True)


def pool(name: str) -> Callable[[int, int], str]:
    if name == "synthetic":
        return lambda size, seed: business_text(size, seed=seed)
    if name == "unseen":
        return unseen_text
    if name == "wiki":
        return wiki_text
    raise ValueError(f"unknown pool {name!r}; one of {', '.join(POOLS)}")
