"""Every dashboard query uses only series (and labels) the proxy exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest

from proxy.observability.metrics import Metrics
from proxy.vocabulary import Outcome

DASHBOARDS = sorted((Path(__file__).parents[2] / "helm/sekimori/dashboards").glob("*.json"))
PROMQL_WORDS = {
    "sum",
    "by",
    "rate",
    "increase",
    "histogram_quantile",
    "count",
    "offset",
    "le",
    "without",
    "avg",
    "max",
    "min",
    "topk",
    "bool",
    "and",
    "or",
    "unless",
    "on",
    "ignoring",
    "group_left",
    "group_right",
}


def exported() -> dict[str, set[str]]:
    """Sample name -> label names, from the proxy's own registry."""
    metrics = Metrics()
    out: dict[str, set[str]] = {}
    for family in metrics.registry.collect():
        labels = set(getattr(family, "_labelnames", ()))
        for suffix in ("", "_total", "_bucket", "_sum", "_count"):
            out[family.name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    # Label names come from the metric objects themselves.
    for attr in vars(metrics).values():
        names = getattr(attr, "_labelnames", None)
        name = getattr(attr, "_name", None)
        if names is not None and name:
            for suffix in ("", "_total", "_bucket", "_sum", "_count"):
                if name + suffix in out:
                    out[name + suffix] |= set(names)
    return out


def expressions(path: Path) -> list[str]:
    board = json.loads(path.read_text(encoding="utf-8"))
    return [t["expr"] for p in board["panels"] for t in p["targets"]]


def test_there_are_two_dashboards() -> None:
    assert {p.name for p in DASHBOARDS} == {"guard-activity.json", "ai-adoption.json"}


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_queries_use_exported_series_and_labels(path: Path) -> None:
    series = exported()
    for expr in expressions(path):
        for name, selector in re.findall(r"\b(sekimori_[a-z_]+)(\{[^}]*\})?", expr):
            assert name in series, f"{name} is not exported ({expr})"
            for label in re.findall(r"([a-z_]+)\s*=~?", selector or ""):
                assert label in series[name], f"{name} has no label {label}"
        for group in re.findall(r"by \(([^)]*)\)", expr):
            names = re.findall(r"\b(sekimori_[a-z_]+)", expr)
            for label in (g.strip() for g in group.split(",")):
                assert any(label in series[n] for n in names), f"no series has label {label}"


def test_series_names_in_dashboards_exist_somewhere() -> None:
    used = {
        n for p in DASHBOARDS for e in expressions(p) for n in re.findall(r"sekimori_[a-z_]+", e)
    }
    assert len(used) >= 10


def test_the_committed_dashboards_are_what_the_script_writes(tmp_path: Path, monkeypatch) -> None:
    from scripts import make_dashboards

    monkeypatch.setattr(make_dashboards, "OUT", tmp_path)
    make_dashboards.main()
    for path in DASHBOARDS:
        assert (tmp_path / path.name).read_text("utf-8") == path.read_text("utf-8"), path.name


def test_panels_split_by_action_know_every_outcome_word() -> None:
    words = set(get_args(Outcome))
    board = json.loads((DASHBOARDS[0].parent / "guard-activity.json").read_text("utf-8"))
    by_action = [
        p for p in board["panels"] if any("{{action}}" in t["legendFormat"] for t in p["targets"])
    ]
    assert {p["title"] for p in by_action} == {
        "Requests by action",
        "Findings by entity type and action",
    }
    for p in by_action:
        patterns = [o["matcher"]["options"] for o in p["fieldConfig"]["overrides"]]
        for word in words:  # each legend is coloured by exactly one override
            for legend in (word, f"PERSON {word}"):
                assert sum(bool(re.fullmatch(x, legend)) for x in patterns) == 1, (
                    legend,
                    p["title"],
                )
        assert all(word in p["description"] for word in words)
