"""Write the Grafana dashboards (helm/sekimori/dashboards/*.json) from one short
description each, so panels stay consistent. Run: python -m scripts.make_dashboards
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from proxy.vocabulary import Outcome

OUT = Path(__file__).resolve().parents[1] / "helm/sekimori/dashboards"
TEAM = 'team=~"$team"'

# The action label carries the proxy's outcome words (proxy/vocabulary.py): one colour and
# one line of meaning each, the same on every panel that splits by action.
OUTCOMES: dict[Outcome, tuple[str, str]] = {
    "block": ("red", "refused, nothing sent"),
    "mask": ("orange", "sent with placeholders"),
    "clean": ("green", "sent unchanged, nothing to hide"),
    "would_block": ("light-red", "monitor mode: sent unchanged, enforcement would block"),
    "would_mask": ("light-orange", "monitor mode: sent unchanged, enforcement would mask"),
    "error": ("purple", "refused before a decision (bad input, scanner failure)"),
}

# (title, type, [(expr, legend)], unit, width)
GUARD: list[tuple[str, str, list[tuple[str, str]], str, int]] = [
    (
        "Requests by action",
        "timeseries",
        [
            (
                f"sum by (action) (rate(sekimori_requests_total{{{TEAM}}}[$__rate_interval]))",
                "{{action}}",
            )
        ],
        "reqps",
        12,
    ),
    (
        "Blocks by reason and team",
        "timeseries",
        [
            (
                f"sum by (reason, team) (increase(sekimori_blocks_total{{{TEAM}}}[$__rate_interval]))",
                "{{reason}} / {{team}}",
            )
        ],
        "short",
        12,
    ),
    (
        "Findings by entity type and action",
        "barchart",
        [
            (
                f"sum by (entity_type, action) (increase(sekimori_findings_total{{{TEAM}}}[$__range]))",
                "{{entity_type}} {{action}}",
            )
        ],
        "short",
        12,
    ),
    (
        "Fail-closed events (scanner errors, timeouts, overload)",
        "timeseries",
        [
            (
                "sum by (reason) (increase(sekimori_fail_closed_total[$__rate_interval]))",
                "{{reason}}",
            )
        ],
        "short",
        12,
    ),
    (
        "Unscanned forwards (must be 0)",
        "stat",
        [("sum(sekimori_unscanned_forward_total)", "unscanned")],
        "short",
        6,
    ),
    (
        "Scan latency p50 / p99",
        "timeseries",
        [
            (
                "histogram_quantile(0.5, sum by (le) (rate(sekimori_scan_duration_seconds_bucket[$__rate_interval])))",
                "p50",
            ),
            (
                "histogram_quantile(0.99, sum by (le) (rate(sekimori_scan_duration_seconds_bucket[$__rate_interval])))",
                "p99",
            ),
        ],
        "s",
        9,
    ),
    (
        "Upstream latency and time to first token (p90)",
        "timeseries",
        [
            (
                "histogram_quantile(0.9, sum by (le, family) (rate(sekimori_upstream_duration_seconds_bucket[$__rate_interval])))",
                "upstream {{family}}",
            ),
            (
                "histogram_quantile(0.9, sum by (le, family) (rate(sekimori_time_to_first_token_seconds_bucket[$__rate_interval])))",
                "first token {{family}}",
            ),
        ],
        "s",
        9,
    ),
    (
        "Streams in flight / scan queue",
        "timeseries",
        [
            ("sum(sekimori_streams_in_flight)", "streams"),
            ("sum(sekimori_scan_queue_depth)", "scan queue"),
        ],
        "short",
        12,
    ),
    (
        "Upstream errors",
        "timeseries",
        [
            (
                "sum by (family, kind) (increase(sekimori_upstream_errors_total[$__rate_interval]))",
                "{{family}} {{kind}}",
            )
        ],
        "short",
        12,
    ),
    (
        "Policy reloads",
        "timeseries",
        [
            (
                "sum by (result) (increase(sekimori_policy_reloads_total[$__rate_interval]))",
                "{{result}}",
            )
        ],
        "short",
        12,
    ),
]
ADOPTION: list[tuple[str, str, list[tuple[str, str]], str, int]] = [
    (
        "Active teams (with requests in range)",
        "stat",
        [
            (
                f"count(sum by (team) (increase(sekimori_team_requests_total{{{TEAM}}}[$__range])) > 0)",
                "teams",
            )
        ],
        "short",
        6,
    ),
    (
        "Requests in range",
        "stat",
        [(f"sum(increase(sekimori_team_requests_total{{{TEAM}}}[$__range]))", "requests")],
        "short",
        6,
    ),
    (
        "Tokens in range",
        "stat",
        [(f"sum(increase(sekimori_team_tokens_total{{{TEAM}}}[$__range]))", "tokens")],
        "short",
        12,
    ),
    (
        "Requests per team per day",
        "barchart",
        [(f"sum by (team) (increase(sekimori_team_requests_total{{{TEAM}}}[1d]))", "{{team}}")],
        "short",
        12,
    ),
    (
        "Input / output tokens per team per day",
        "timeseries",
        [
            (
                f"sum by (team, direction) (increase(sekimori_team_tokens_total{{{TEAM}}}[1d]))",
                "{{team}} {{direction}}",
            )
        ],
        "short",
        12,
    ),
    (
        "Prompt characters per team",
        "timeseries",
        [
            (
                f"sum by (team) (increase(sekimori_team_prompt_characters_total{{{TEAM}}}[1d]))",
                "{{team}}",
            )
        ],
        "short",
        12,
    ),
    (
        "Model mix",
        "piechart",
        [
            (
                f"sum by (model) (increase(sekimori_team_requests_total{{{TEAM}}}[$__range]))",
                "{{model}}",
            )
        ],
        "short",
        12,
    ),
    (
        "Trend: requests this week vs last week",
        "timeseries",
        [
            (f"sum(increase(sekimori_team_requests_total{{{TEAM}}}[7d]))", "this week"),
            (
                f"sum(increase(sekimori_team_requests_total{{{TEAM}}}[7d] offset 7d))",
                "previous week",
            ),
        ],
        "short",
        24,
    ),
]


def panel(
    i: int,
    title: str,
    kind: str,
    targets: list[tuple[str, str]],
    unit: str,
    width: int,
    x: int,
    y: int,
) -> dict[str, Any]:
    p: dict[str, Any] = {
        "id": i,
        "title": title,
        "type": kind,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": width, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [
            {
                "refId": chr(65 + n),
                "expr": expr,
                "legendFormat": legend,
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
            }
            for n, (expr, legend) in enumerate(targets)
        ],
    }
    if any("{{action}}" in legend for _, legend in targets):
        p["description"] = "action: " + "; ".join(
            f"{word} = {meaning}" for word, (_, meaning) in OUTCOMES.items()
        )
        p["fieldConfig"]["overrides"] = [
            {
                # the legend ends with the action word ("block", "PERSON mask", ...)
                "matcher": {"id": "byRegexp", "options": f"^(.* )?{word}$"},
                "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}],
            }
            for word, (color, _) in OUTCOMES.items()
        ]
    if title.startswith("Unscanned"):
        p["fieldConfig"]["defaults"]["thresholds"] = {
            "mode": "absolute",
            "steps": [{"color": "green", "value": None}, {"color": "red", "value": 1}],
        }
    return p


def dashboard(
    uid: str,
    title: str,
    description: str,
    panels: list[tuple[str, str, list[tuple[str, str]], str, int]],
) -> dict[str, Any]:
    out, x, y = [], 0, 0
    for i, (t, kind, targets, unit, width) in enumerate(panels, 1):
        if x + width > 24:
            x, y = 0, y + 8
        out.append(panel(i, t, kind, targets, unit, width, x, y))
        x += width
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "time": {"from": "now-7d", "to": "now"},
        "tags": ["sekimori"],
        "refresh": "1m",
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "label": "Prometheus",
                },
                {
                    "name": "team",
                    "type": "query",
                    "label": "team",
                    "includeAll": True,
                    "multi": True,
                    "allValue": ".*",
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "query": "label_values(sekimori_requests_total, team)",
                    "refresh": 2,
                },
            ]
        },
        "panels": out,
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    boards = {
        "guard-activity.json": dashboard(
            "sekimori-guard",
            "Sekimori — Guard activity",
            "What the guard blocks and masks, by category and team; fail-closed events; latency.",
            GUARD,
        ),
        "ai-adoption.json": dashboard(
            "sekimori-adoption",
            "Sekimori — AI adoption",
            "Whether generative AI is used, by whom, and how that changes after a rollout.",
            ADOPTION,
        ),
    }
    for name, board in boards.items():
        (OUT / name).write_text(
            json.dumps(board, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
