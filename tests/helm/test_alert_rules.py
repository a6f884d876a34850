"""The chart's alert rules (an optional PrometheusRule): off by default, structurally what
the Prometheus Operator accepts, valid for `promtool check rules`, and behaving as
tests/helm/alert-rules.test.yaml expects under `promtool test rules`."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helm.test_chart import by_kind, check_prometheus_rule, one, render, scenario
from tests.external import require

HERE = Path(__file__).resolve().parent
ALERTS = {
    "SekimoriUnscannedForward",
    "SekimoriFailClosed",
    "SekimoriBlockSpike",
    "SekimoriScanSlow",
    "SekimoriNotReady",
}


def rules(values: dict[str, Any]) -> dict[str, Any]:
    rule = one(render(values), "PrometheusRule")
    check_prometheus_rule(rule)
    return dict(rule["spec"])


def promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    binary = require("promtool", "scripts/install_prometheus.sh")
    return subprocess.run([str(binary), *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def write_rules(tmp: Path, values: dict[str, Any]) -> Path:
    path = tmp / "rules.yaml"
    path.write_text(yaml.safe_dump(rules(values), allow_unicode=True), "utf-8")
    return path


def test_off_by_default() -> None:
    assert not by_kind(render(), "PrometheusRule")


def test_monitoring_scenario_ships_every_alert() -> None:
    spec = rules(scenario("monitoring"))
    rendered = [r for g in spec["groups"] for r in g["rules"]]
    assert {r["alert"] for r in rendered} == ALERTS
    assert all(r["labels"]["team"] == "security" for r in rendered)
    rule = one(render(scenario("monitoring")), "PrometheusRule")
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"


def test_thresholds_come_from_values() -> None:
    values = {
        "prometheusRule": {
            "enabled": True,
            "failClosedPerSecond": 0.2,
            "blocksPerTeamIn15m": 7,
            "scanP99Seconds": 1.5,
        }
    }
    exprs = {r["alert"]: r["expr"] for g in rules(values)["groups"] for r in g["rules"]}
    assert exprs["SekimoriFailClosed"].endswith("> 0.2")
    assert exprs["SekimoriBlockSpike"].endswith("> 7")
    assert exprs["SekimoriScanSlow"].endswith("> 1.5")


@pytest.mark.parametrize(
    "bad", [{"failClosedPerSecond": 0}, {"blocksPerTeamIn15m": "many"}, {"unknown": 1}]
)
def test_the_schema_refuses_bad_thresholds(bad: dict[str, Any]) -> None:
    with pytest.raises(Exception, match="(?i)schema|values"):
        render({"prometheusRule": {"enabled": True, **bad}})


def test_promtool_check_rules(tmp_path: Path) -> None:
    path = write_rules(tmp_path, {"prometheusRule": {"enabled": True}})
    result = promtool("check", "rules", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(ALERTS)} rules found" in result.stdout


def test_promtool_unit_tests(tmp_path: Path) -> None:
    write_rules(tmp_path, {"prometheusRule": {"enabled": True}})
    tests = tmp_path / "alert-rules.test.yaml"
    tests.write_text((HERE / "alert-rules.test.yaml").read_text("utf-8"), "utf-8")
    result = promtool("test", "rules", str(tests), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
