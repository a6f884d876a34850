"""The Helm chart, rendered by Helm's own engine (helm-python-sdk) for the default values
and every ci/*-values.yaml scenario; every object validated against the Kubernetes
schemas (kubernetes-validate, pinned version); key properties asserted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm/sekimori"
K8S_VERSION = "1.33.0"
SCENARIOS = sorted((CHART / "ci").glob("*-values.yaml"))
DRAIN_SECONDS = 25  # the proxy's aiohttp shutdown_timeout (proxy/cli.py)


def render(values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    chart = helm.Chart.load(str(CHART))
    manifests = chart.render(values or {}, name="guard", namespace="ai", is_install=True)
    objects: list[dict[str, Any]] = []
    for path, text in sorted(manifests.items()):
        if path.endswith("NOTES.txt"):
            continue
        objects.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return objects


def by_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_object_validates(scenario: Path) -> None:
    objects = render(load(scenario))
    assert objects
    for obj in objects:
        if obj["apiVersion"].startswith("monitoring.coreos.com/"):
            # A CRD, not in the core schemas: check its structure here.
            assert obj["kind"] == "ServiceMonitor"
            assert obj["spec"]["endpoints"][0]["port"] == "admin"
            assert obj["spec"]["selector"]["matchLabels"]
            continue
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_lint_is_clean(scenario: Path) -> None:
    report = helm.lint(str(CHART), load(scenario), strict=True)
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_deployment_key_properties() -> None:
    objects = render()
    deployment = by_kind(objects, "Deployment")[0]
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "admin"}
    assert container["startupProbe"]["httpGet"] == {"path": "/readyz", "port": "admin"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "admin"}
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60  # model load
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pod["terminationGracePeriodSeconds"] > pre_stop + DRAIN_SECONDS
    sc, psc = container["securityContext"], pod["securityContext"]
    assert psc["runAsNonRoot"] is True and psc["runAsUser"] != 0
    assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {"/etc/sekimori", "/tmp"} <= mounts
    assert "--config=/etc/sekimori/policy.yaml" in container["args"]


def test_service_selects_the_pods_and_exposes_both_ports() -> None:
    objects = render()
    service = by_kind(objects, "Service")[0]
    pod_labels = by_kind(objects, "Deployment")[0]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert {p["name"]: p["port"] for p in service["spec"]["ports"]} == {"proxy": 8080,
                                                                       "admin": 8081}


def test_policy_change_changes_the_checksum() -> None:
    def checksum(values: dict[str, Any]) -> str:
        d = by_kind(render(values), "Deployment")[0]
        return str(d["spec"]["template"]["metadata"]["annotations"]["checksum/config"])

    base = checksum({})
    assert base == checksum({})
    assert base != checksum({"policy": {"inline": "version: 1\nmode: monitor\n"}})


def test_default_policy_in_the_chart_is_the_shipped_one() -> None:
    configmap = by_kind(render(), "ConfigMap")[0]
    shipped = (ROOT / "config/default.yaml").read_text(encoding="utf-8")
    assert configmap["data"]["policy.yaml"].strip() == shipped.strip()


def test_the_default_policy_in_the_chart_validates() -> None:
    from proxy.policy import parse_policy

    configmap = by_kind(render(load(CHART / "ci/inline-policy-values.yaml")), "ConfigMap")[0]
    assert "customers.txt" in configmap["data"]
    parse_policy(by_kind(render(), "ConfigMap")[0]["data"]["policy.yaml"], "chart")


def test_hpa_and_pdb() -> None:
    objects = render()
    hpa = by_kind(objects, "HorizontalPodAutoscaler")[0]
    assert hpa["spec"]["scaleTargetRef"]["name"] == by_kind(objects, "Deployment")[0]["metadata"]["name"]
    assert hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 70
    assert by_kind(objects, "PodDisruptionBudget")[0]["spec"]["minAvailable"] == 1
    # With autoscaling off the Deployment carries the replica count instead.
    off = render(load(CHART / "ci/passthrough-credentials-values.yaml"))
    assert not by_kind(off, "HorizontalPodAutoscaler")
    assert by_kind(off, "Deployment")[0]["spec"]["replicas"] == 3


def test_network_policy_allows_only_dns_and_https_out() -> None:
    assert not by_kind(render(), "NetworkPolicy")  # off by default
    objects = render(load(CHART / "ci/hardened-networkpolicy-values.yaml"))
    egress = by_kind(objects, "NetworkPolicy")[0]["spec"]["egress"]
    ports = sorted((p["port"], p["protocol"]) for rule in egress for p in rule["ports"])
    assert ports == [(53, "TCP"), (53, "UDP"), (443, "TCP")]
    https = next(rule for rule in egress if rule["ports"][0]["port"] == 443)
    assert [peer["ipBlock"]["cidr"] for peer in https["to"]] == ["162.159.140.0/24",
                                                                 "160.79.104.0/23"]


def test_secret_references_never_carry_keys() -> None:
    objects = render(load(CHART / "ci/hardened-networkpolicy-values.yaml"))
    env = by_kind(objects, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["env"]
    keys = {e["name"]: e for e in env}
    assert keys["OPENAI_API_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "llm-keys"
    assert not by_kind(objects, "Secret")


def test_values_schema_rejects_a_typo() -> None:
    with pytest.raises(helm.HelmError):
        render({"replicaCout": 3})
    with pytest.raises(helm.HelmError):
        render({"service": {"port": "eighty"}})


def test_dockerfile_runs_as_non_root_with_the_model_inside() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert text.count("FROM ") == 2  # multi-stage
    assert "USER 10001" in text
    assert "spacy.load('ja_ginza')" in text  # the model is installed and loads at build time
