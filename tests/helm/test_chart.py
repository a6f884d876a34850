"""The Helm chart and the container image.

The chart is rendered by Helm's own engine (helm-python-sdk, no helm binary) for the
default values and every ci/*-values.yaml scenario; every object is validated against the
Kubernetes OpenAPI schemas (kubernetes-validate) of the oldest supported version and a
recent one; the chart is linted; the properties a safe rollout depends on are asserted.
The Dockerfile cannot be built here, so its key properties are checked as text.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm/sekimori"
SCENARIOS = sorted((CHART / "ci").glob("*-values.yaml"))
SCENARIO_IDS = [p.name.removesuffix("-values.yaml") for p in SCENARIOS]
# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion: the preStop sleep
# action) and a recent one.
K8S_VERSIONS = ["1.30.0", "1.33.0"]
DRAIN_SECONDS = 25  # the proxy's aiohttp shutdown_timeout in proxy/cli.py
CORE_KINDS = {
    "ConfigMap",
    "Deployment",
    "HorizontalPodAutoscaler",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "Secret",
    "Service",
    "ServiceAccount",
}

Obj = dict[str, Any]


# -- rendering ------------------------------------------------------------------------------
def render(values: dict[str, Any] | None = None, chart_dir: Path = CHART) -> list[Obj]:
    chart = helm.Chart.load(str(chart_dir))
    manifests = chart.render(
        copy.deepcopy(values or {}), name="guard", namespace="ai", is_install=True
    )
    objects: list[Obj] = []
    for path, text in sorted(manifests.items()):
        if path.endswith("NOTES.txt"):
            continue
        objects.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return objects


def scenario(name: str) -> dict[str, Any]:
    return yaml.safe_load((CHART / "ci" / f"{name}-values.yaml").read_text("utf-8")) or {}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def by_kind(objects: list[Obj], kind: str) -> list[Obj]:
    return [o for o in objects if o["kind"] == kind]


def one(objects: list[Obj], kind: str) -> Obj:
    found = by_kind(objects, kind)
    assert len(found) == 1, f"expected one {kind}, got {len(found)}"
    return found[0]


def policy_configmap(objects: list[Obj]) -> Obj:
    return next(o for o in by_kind(objects, "ConfigMap") if "policy.yaml" in o["data"])


def dashboard_configmaps(objects: list[Obj]) -> list[Obj]:
    return [
        o for o in by_kind(objects, "ConfigMap") if "grafana_dashboard" in o["metadata"]["labels"]
    ]


def service(objects: list[Obj], component: str = "proxy") -> Obj:
    """The proxy Service, or with component="admin" the admin one."""
    found = [
        o
        for o in by_kind(objects, "Service")
        if o["metadata"]["labels"]["app.kubernetes.io/component"] == component
    ]
    assert len(found) == 1, f"expected one {component} Service, got {len(found)}"
    return found[0]


def container(objects: list[Obj]) -> Obj:
    containers: list[Obj] = one(objects, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def env_of(objects: list[Obj]) -> dict[str, Obj]:
    return {e["name"]: e for e in container(objects).get("env", [])}


def checksum(values: dict[str, Any]) -> str:
    template = one(render(values), "Deployment")["spec"]["template"]
    return str(template["metadata"]["annotations"]["checksum/config"])


# -- every scenario ---------------------------------------------------------------------------
def check_service_monitor(sm: Obj, objects: list[Obj]) -> None:
    """A CRD, absent from the core schemas: check the fields the operator needs. It selects
    the admin Service and no other."""
    assert sm["apiVersion"] == "monitoring.coreos.com/v1"
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", sm["metadata"]["name"])
    spec = sm["spec"]
    assert set(spec) <= {"selector", "endpoints", "namespaceSelector"}
    selected = [
        s
        for s in by_kind(objects, "Service")
        if spec["selector"]["matchLabels"].items() <= s["metadata"]["labels"].items()
    ]
    assert selected == [service(objects, "admin")]
    assert spec["namespaceSelector"] == {"matchNames": ["ai"]}
    port_names = {p["name"] for p in selected[0]["spec"]["ports"]}
    for endpoint in spec["endpoints"]:
        assert set(endpoint) <= {"port", "path", "scheme", "interval", "scrapeTimeout"}
        assert endpoint["port"] in port_names
        assert endpoint["path"] == "/metrics"
        for key in ("interval", "scrapeTimeout"):
            assert re.fullmatch(r"[0-9]+(ms|s|m|h)", endpoint[key])


def check_prometheus_rule(rule: Obj) -> None:
    """A CRD too: the fields the operator reads, each rule an alert with a severity."""
    assert rule["apiVersion"] == "monitoring.coreos.com/v1" and rule["kind"] == "PrometheusRule"
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", rule["metadata"]["name"])
    assert set(rule["spec"]) == {"groups"}
    names = []
    for group in rule["spec"]["groups"]:
        assert set(group) == {"name", "rules"} and group["rules"]
        for r in group["rules"]:
            assert set(r) <= {"alert", "expr", "for", "labels", "annotations"}
            assert isinstance(r["expr"], str) and r["expr"].strip()
            assert re.fullmatch(r"[0-9]+[smh]", r.get("for", "0s"))
            assert r["labels"]["severity"] in {"critical", "warning", "info"}
            assert all(isinstance(v, str) for v in r["labels"].values())
            assert set(r["annotations"]) == {"summary", "description"}
            names.append(r["alert"])
    assert len(names) == len(set(names))


@pytest.mark.parametrize("k8s", K8S_VERSIONS)
@pytest.mark.parametrize("values_file", SCENARIOS, ids=SCENARIO_IDS)
def test_every_object_validates(values_file: Path, k8s: str) -> None:
    objects = render(load(values_file))
    assert {"Deployment", "Service", "ConfigMap"} <= {o["kind"] for o in objects}
    for obj in objects:
        assert obj["metadata"]["labels"]["app.kubernetes.io/instance"] == "guard"
        if obj["kind"] == "ServiceMonitor":
            check_service_monitor(obj, objects)
            continue
        if obj["kind"] == "PrometheusRule":
            check_prometheus_rule(obj)
            continue
        assert obj["kind"] in CORE_KINDS
        kubernetes_validate.validate(obj, k8s, strict=True)


@pytest.mark.parametrize("values_file", SCENARIOS, ids=SCENARIO_IDS)
def test_lint_is_clean(values_file: Path) -> None:
    report = helm.lint(
        str(CHART), load(values_file), strict=True, kube_version=f"v{K8S_VERSIONS[0]}"
    )
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


@pytest.mark.parametrize("values_file", SCENARIOS, ids=SCENARIO_IDS)
def test_rollout_and_shutdown_invariants(values_file: Path) -> None:
    objects = render(load(values_file))
    deployment = one(objects, "Deployment")
    spec = deployment["spec"]
    pod_meta, pod = spec["template"]["metadata"], spec["template"]["spec"]
    c = container(objects)

    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
    }
    assert spec["selector"]["matchLabels"].items() <= pod_meta["labels"].items()
    for component in ("proxy", "admin"):
        selector = service(objects, component)["spec"]["selector"]
        assert selector.items() <= pod_meta["labels"].items()
    assert re.fullmatch(r"[0-9a-f]{64}", pod_meta["annotations"]["checksum/config"])

    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"proxy": 8080, "admin": 8081}
    assert c["startupProbe"]["httpGet"] == {"path": "/readyz", "port": "admin"}
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "admin"}
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "admin"}
    startup = c["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 120  # ~60 s model load

    pre_stop = c["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pre_stop >= 1
    assert pod["terminationGracePeriodSeconds"] > pre_stop + DRAIN_SECONDS

    psc, sc = pod["securityContext"], c["securityContext"]
    assert psc["runAsNonRoot"] is True and psc["runAsUser"] == 10001
    assert psc["seccompProfile"] == {"type": "RuntimeDefault"}
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"] == {"drop": ["ALL"]}
    assert sc.get("privileged", False) is False
    assert pod["automountServiceAccountToken"] is False

    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]["name"]]
    assert env_of(objects)["HOME"]["value"] == env_of(objects)["TMPDIR"]["value"] == "/tmp"
    policy_volume = volumes[mounts["/etc/sekimori"]["name"]]
    assert policy_volume["configMap"]["name"] == policy_configmap(objects)["metadata"]["name"]
    assert "subPath" not in mounts["/etc/sekimori"]  # subPath mounts never see updates
    assert "--config=/etc/sekimori/policy.yaml" in c["args"]

    requests, limits = c["resources"]["requests"], c["resources"]["limits"]
    assert requests["cpu"] and requests["memory"] and limits["memory"]


def test_container_args_are_accepted_by_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart's args go through the proxy's real argument parser."""
    from proxy.tools import cli

    seen: list[Any] = []

    def fake_serve(args: Any) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(cli, "_serve", fake_serve)
    assert cli.main(container(render())["args"]) == 0
    args = seen[0]
    assert (args.host, args.port, args.admin_host, args.admin_port, args.workers) == (
        "0.0.0.0",
        8080,
        "0.0.0.0",
        8081,
        2,
    )
    assert str(args.config) == "/etc/sekimori/policy.yaml"


@pytest.mark.parametrize("values_file", SCENARIOS, ids=SCENARIO_IDS)
def test_the_mounted_policy_loads_in_the_proxy(values_file: Path, tmp_path: Path) -> None:
    """Write the ConfigMap out as the pod sees it and load it with the proxy's own loader,
    dictionaries included."""
    from proxy.policy import load_policy

    for name, content in policy_configmap(render(load(values_file)))["data"].items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    load_policy(tmp_path / "policy.yaml")


def test_default_policy_in_the_chart_is_the_shipped_one() -> None:
    shipped = (ROOT / "config/default.yaml").read_text(encoding="utf-8")
    assert (CHART / "files/default-policy.yaml").read_text(encoding="utf-8") == shipped
    assert policy_configmap(render())["data"]["policy.yaml"].strip() == shipped.strip()


def test_inline_policy_and_dictionaries_reach_the_configmap() -> None:
    values = scenario("inline-policy")
    data = policy_configmap(render(values))["data"]
    assert yaml.safe_load(data["policy.yaml"]) == values["policy"]["config"]
    assert data["customers.txt"] == values["policy"]["dictionaries"]["customers.txt"]
    text = "version: 1\nmode: monitor\n"
    assert policy_configmap(render({"policy": {"inline": text}}))["data"]["policy.yaml"] == text


# -- checksum/config --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [
        {"policy": {"inline": "version: 1\nmode: monitor\n"}},
        {"policy": {"config": {"version": 1, "mode": "monitor"}}},
        {"policy": {"dictionaries": {"customers.txt": "山田商事\n"}}},
    ],
    ids=["inline", "config", "dictionary"],
)
def test_a_policy_change_changes_the_checksum(change: dict[str, Any]) -> None:
    base = checksum({})
    assert base == checksum({})  # deterministic
    assert checksum(change) != base


def test_the_checksum_ignores_unrelated_values() -> None:
    assert checksum({"replicaCount": 5, "logLevel": "DEBUG"}) == checksum({})


# -- Service, HPA, PDB ------------------------------------------------------------------------
@pytest.mark.parametrize("values_file", SCENARIOS, ids=SCENARIO_IDS)
def test_the_admin_port_is_only_on_the_admin_service(values_file: Path) -> None:
    """Staff tools reach the proxy Service; the admin port (playground, /metrics) is on a
    ClusterIP Service of its own, whatever type the proxy Service has."""
    values = load(values_file)
    values.setdefault("service", {}).update(port=9090, adminPort=9091, type="LoadBalancer")
    objects = render(values)
    ports = [(p["name"], p["port"], p["targetPort"]) for p in service(objects)["spec"]["ports"]]
    assert ports == [("proxy", 9090, "proxy")]
    assert service(objects)["spec"]["type"] == "LoadBalancer"
    admin = service(objects, "admin")
    assert admin["metadata"]["name"] == "guard-sekimori-admin"
    assert admin["spec"]["type"] == "ClusterIP"
    assert [(p["name"], p["port"], p["targetPort"]) for p in admin["spec"]["ports"]] == [
        ("admin", 9091, "admin")
    ]
    assert {p["name"]: p["containerPort"] for p in container(objects)["ports"]}["admin"] == 9091
    # The container listens on the pod IP (probes and Prometheus), not loopback.
    assert "--admin-host=0.0.0.0" in container(objects)["args"]


def test_session_affinity_is_opt_in() -> None:
    assert "sessionAffinity" not in service(render())["spec"]
    spec = service(
        render({"service": {"sessionAffinity": "ClientIP", "sessionAffinityTimeoutSeconds": 600}})
    )["spec"]
    assert spec["sessionAffinity"] == "ClientIP"
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 600}}


def test_hpa_and_pdb_by_default() -> None:
    objects = render()
    deployment, hpa = one(objects, "Deployment"), one(objects, "HorizontalPodAutoscaler")
    assert "replicas" not in deployment["spec"]  # the HPA owns the count
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 10)
    assert hpa["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 70},
            },
        }
    ]
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 60
    pdb = one(objects, "PodDisruptionBudget")
    assert pdb["apiVersion"] == "policy/v1"
    assert pdb["spec"]["maxUnavailable"] == 1 and "minAvailable" not in pdb["spec"]
    assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]


def test_fixed_replicas_without_hpa() -> None:
    objects = render(scenario("passthrough-credentials"))
    assert not by_kind(objects, "HorizontalPodAutoscaler")
    assert one(objects, "Deployment")["spec"]["replicas"] == 3
    pdb = one(objects, "PodDisruptionBudget")["spec"]
    assert pdb["minAvailable"] == 2 and "maxUnavailable" not in pdb


# -- credentials and upstreams ---------------------------------------------------------------
def test_keys_from_a_secret_as_environment_variables() -> None:
    objects = render(scenario("hardened-networkpolicy"))
    env = env_of(objects)
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        ref = env[var]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "llm-keys", "key": var, "optional": True}
        assert "value" not in env[var]
    assert not by_kind(objects, "Secret")  # the chart never holds a key


def test_keys_from_a_secret_as_files() -> None:
    objects = render(scenario("inline-policy"))
    env, c = env_of(objects), container(objects)
    assert "OPENAI_API_KEY" not in env and "ANTHROPIC_API_KEY" not in env
    pod = one(objects, "Deployment")["spec"]["template"]["spec"]
    secret_volumes = {
        v["name"] for v in pod["volumes"] if v.get("secret", {}).get("secretName") == "llm-keys"
    }
    mount = next(m for m in c["volumeMounts"] if m["name"] in secret_volumes)
    assert mount["readOnly"] is True
    assert not mount["mountPath"].startswith("/etc/sekimori/")  # not inside the policy mount
    assert env["OPENAI_API_KEY_FILE"]["value"] == f"{mount['mountPath']}/openai"
    assert env["ANTHROPIC_API_KEY_FILE"]["value"] == f"{mount['mountPath']}/anthropic"


def test_no_secret_no_key_variables() -> None:
    env = env_of(render(scenario("passthrough-credentials")))
    assert not {n for n in env if "API_KEY" in n}
    assert env["SEKIMORI_OPENAI_BASE_URL"]["value"] == "https://llm-gateway.internal.example/v1"
    assert env["SEKIMORI_ANTHROPIC_BASE_URL"]["value"].endswith("/anthropic")
    assert not {n for n in env_of(render()) if n.endswith("_BASE_URL")}  # unset: none


# -- the playground's admin token --------------------------------------------------------------
def test_no_admin_token_by_default() -> None:
    objects = render()
    env = env_of(objects)
    assert "SEKIMORI_ADMIN_TOKEN" not in env and "SEKIMORI_ADMIN_HOSTS" not in env
    assert not by_kind(objects, "Secret")


def test_admin_token_from_an_existing_secret() -> None:
    objects = render(scenario("hardened-networkpolicy"))
    env = env_of(objects)
    assert env["SEKIMORI_ADMIN_TOKEN"] == {
        "name": "SEKIMORI_ADMIN_TOKEN",
        "valueFrom": {"secretKeyRef": {"name": "sekimori-admin", "key": "admin-token"}},
    }
    assert not by_kind(objects, "Secret")  # yours, not the chart's


def test_admin_token_created_by_the_chart() -> None:
    objects = render({"admin": {"token": {"create": True}}})
    secret = one(objects, "Secret")
    assert secret["type"] == "Opaque"
    ref = env_of(objects)["SEKIMORI_ADMIN_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert ref == {"name": secret["metadata"]["name"], "key": "token"}  # not optional
    assert set(secret["data"]) == {"token"}
    token = base64.b64decode(secret["data"]["token"]).decode("ascii")
    assert re.fullmatch(r"[A-Za-z0-9]{48}", token)
    again = one(render({"admin": {"token": {"create": True}}}), "Secret")
    assert again["data"] != secret["data"]  # random, not a token shipped in the chart
    other_key = render({"admin": {"token": {"create": True, "key": "t"}}})
    assert set(one(other_key, "Secret")["data"]) == {"t"}
    assert env_of(other_key)["SEKIMORI_ADMIN_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == "t"


def test_admin_hosts_reach_the_proxy_as_it_parses_them() -> None:
    from proxy.edge.admin_guard import host_allowed, parse_hosts

    env = env_of(render(scenario("hardened-networkpolicy")))
    hosts = parse_hosts(env["SEKIMORI_ADMIN_HOSTS"]["value"])
    assert hosts == {"sekimori-admin.it.example"}
    assert host_allowed("sekimori-admin.it.example:8081", hosts)
    assert not host_allowed("guard-sekimori-admin.ai.svc:8081", hosts)
    two = env_of(render({"admin": {"hosts": ["a.example", "b.example"]}}))
    assert parse_hosts(two["SEKIMORI_ADMIN_HOSTS"]["value"]) == {"a.example", "b.example"}


# -- NetworkPolicy ----------------------------------------------------------------------------
def test_network_policy_is_off_by_default() -> None:
    assert not by_kind(render(), "NetworkPolicy")


def test_network_policy_allows_only_dns_and_https_out() -> None:
    values = scenario("hardened-networkpolicy")
    objects = render(values)
    policy = one(objects, "NetworkPolicy")["spec"]
    assert sorted(policy["policyTypes"]) == ["Egress", "Ingress"]
    assert (
        policy["podSelector"]["matchLabels"]
        == one(objects, "Deployment")["spec"]["selector"]["matchLabels"]
    )
    egress = policy["egress"]
    ports = sorted((p["port"], p["protocol"]) for rule in egress for p in rule["ports"])
    assert ports == [(53, "TCP"), (53, "UDP"), (443, "TCP")]
    https = [rule for rule in egress if rule["ports"] == [{"port": 443, "protocol": "TCP"}]]
    assert len(https) == 1
    assert [peer["ipBlock"]["cidr"] for peer in https[0]["to"]] == values["networkPolicy"][
        "egressCIDRs"
    ]
    for rule in egress:  # every rule is limited to its ports; none opens everything
        assert rule["ports"]


def test_network_policy_ingress() -> None:
    values = scenario("hardened-networkpolicy")
    objects = render(values)
    ingress = one(objects, "NetworkPolicy")["spec"]["ingress"]
    container_ports = {p["name"] for p in container(objects)["ports"]}
    rules = {rule["ports"][0]["port"]: rule["from"] for rule in ingress}
    assert set(rules) == {"proxy", "admin"} <= container_ports
    assert rules["proxy"] == values["networkPolicy"]["ingressFrom"]
    monitoring = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}
    }
    assert rules["admin"] == [monitoring, *values["networkPolicy"]["adminFrom"]]
    # Without ingressFrom / adminFrom: only pods of the release's own namespace (and
    # Prometheus's namespace on the admin port).
    default = render({"networkPolicy": {"enabled": True}})
    rules = {
        r["ports"][0]["port"]: r["from"] for r in one(default, "NetworkPolicy")["spec"]["ingress"]
    }
    assert rules["proxy"] == [{"podSelector": {}}]
    assert rules["admin"] == [monitoring, {"podSelector": {}}]
    no_monitoring = render({"networkPolicy": {"enabled": True, "monitoringNamespace": ""}})
    admin_rule = one(no_monitoring, "NetworkPolicy")["spec"]["ingress"][1]
    assert admin_rule == {
        "ports": [{"port": "admin", "protocol": "TCP"}],
        "from": [{"podSelector": {}}],
    }


# -- monitoring -------------------------------------------------------------------------------
def test_service_monitor_and_dashboards_are_off_by_default() -> None:
    objects = render()
    assert not by_kind(objects, "ServiceMonitor")
    assert not dashboard_configmaps(objects)


def test_monitoring_scenario() -> None:
    objects = render(scenario("monitoring"))
    sm = one(objects, "ServiceMonitor")
    assert sm["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert sm["spec"]["endpoints"][0]["interval"] == "15s"
    files = sorted((CHART / "dashboards").glob("*.json"))
    configmaps = dashboard_configmaps(objects)
    assert len(configmaps) == len(files)
    packaged = {}
    for cm in configmaps:
        assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
        assert cm["metadata"]["annotations"] == {"grafana_folder": "Sekimori"}
        packaged.update(cm["data"])
    assert sorted(packaged) == [f.name for f in files]
    for f in files:
        assert json.loads(packaged[f.name]) == json.loads(f.read_text(encoding="utf-8"))


def test_dashboards_render_nothing_without_json_files(tmp_path: Path) -> None:
    bare = tmp_path / "sekimori"
    shutil.copytree(CHART, bare, ignore=shutil.ignore_patterns("*.json"))
    (bare / "values.schema.json").write_text(
        (CHART / "values.schema.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert not list((bare / "dashboards").glob("*.json"))
    objects = render({"dashboards": {"enabled": True}}, chart_dir=bare)
    assert not dashboard_configmaps(objects)
    assert by_kind(objects, "Deployment")  # the rest renders as usual


# -- other values -----------------------------------------------------------------------------
def test_topology_spread_gets_the_pod_selector() -> None:
    objects = render(scenario("hardened-networkpolicy"))
    pod = one(objects, "Deployment")["spec"]["template"]["spec"]
    [constraint] = pod["topologySpreadConstraints"]
    assert constraint["topologyKey"] == "topology.kubernetes.io/zone"
    assert (
        constraint["labelSelector"]["matchLabels"]
        == one(objects, "Deployment")["spec"]["selector"]["matchLabels"]
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"replicaCout": 3}, "additional properties 'replicaCout' not allowed"),
        ({"autoscaling": {"enable": True}}, "additional properties 'enable' not allowed"),
        ({"servicemonitor": {"enabled": True}}, "additional properties 'servicemonitor'"),
        ({"service": {"port": "eighty"}}, "/service/port"),
        ({"logLevel": "VERBOSE"}, "/logLevel"),
        ({"networkPolicy": {"enabled": True, "egressCIDRs": []}}, "minItems"),
        ({"networkPolicy": {"egressCIDRs": ["api.openai.com"]}}, "/networkPolicy/egressCIDRs/0"),
        ({"policy": {"dictionaries": {"dictionaries/customers.txt": "x"}}}, "propertyName"),
        ({"policy": {"dictionaries": {"policy.yaml": "x"}}}, "propertyName"),
        ({"upstreams": {"openaiBaseUrl": "api.openai.com/v1"}}, "/upstreams/openaiBaseUrl"),
        ({"resources": {"limits": {"memroy": "2Gi"}}}, "additional properties 'memroy'"),
        ({"admin": {"token": {"crate": True}}}, "additional properties 'crate' not allowed"),
        ({"admin": {"token": {"existingSecret": "Admin Token"}}}, "/admin/token/existingSecret"),
        ({"admin": {"token": {"key": "a/b"}}}, "/admin/token/key"),
        ({"admin": {"token": {"create": "yes"}}}, "/admin/token/create"),
        ({"admin": {"hosts": ["a.example,b.example"]}}, "/admin/hosts/0"),
        ({"admin": {"hosts": ["a.example:8081"]}}, "/admin/hosts/0"),
        ({"admin": {"hosts": "a.example"}}, "/admin/hosts"),
        ({"networkPolicy": {"adminFrom": "monitoring"}}, "/networkPolicy/adminFrom"),
        (
            {"networkPolicy": {"monitoringNamespace": "Monitoring"}},
            "/networkPolicy/monitoringNamespace",
        ),
    ],
    ids=lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else "",
)
def test_the_values_schema_rejects_mistakes(values: dict[str, Any], message: str) -> None:
    with pytest.raises(helm.HelmValuesError, match=re.escape(message)):
        render(values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"terminationGracePeriodSeconds": 30}, "must exceed preStopSleepSeconds"),
        ({"preStopSleepSeconds": 20}, "must exceed preStopSleepSeconds"),
        ({"policy": {"inline": "version: 1\n", "config": {"version": 1}}}, "not both"),
        ({"autoscaling": {"minReplicas": 5, "maxReplicas": 3}}, "minReplicas"),
        (
            {"admin": {"token": {"existingSecret": "sekimori-admin", "create": True}}},
            "admin.token.existingSecret or admin.token.create, not both",
        ),
    ],
)
def test_the_templates_reject_inconsistent_values(values: dict[str, Any], message: str) -> None:
    with pytest.raises(helm.HelmRenderError, match=message):
        render(values)


# -- the container image ----------------------------------------------------------------------
def dockerfile_stages() -> list[list[str]]:
    """Instructions per stage, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n", " ", text)
    lines = [
        ln.strip() for ln in joined.splitlines() if ln.strip() and not ln.strip().startswith("#")
    ]
    stages: list[list[str]] = []
    for line in lines:
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def test_dockerfile_is_multi_stage_with_the_model_in_the_builder() -> None:
    stages = dockerfile_stages()
    assert len(stages) == 2
    builder, runtime = stages
    assert builder[0].endswith(" AS builder")
    build = " ".join(builder)
    assert re.search(r"pip install \.", build)
    assert "spacy.load('ja_ginza')" in build  # the build fails without the model
    deps = load_pyproject()["project"]["dependencies"]
    assert any(re.match(r"ja-ginza\s*==", d) for d in deps)  # `pip install .` brings it
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"ARG PYTHON_IMAGE=python:3\.11-slim", text)
    # The runtime stage gets the venv, not the compilers.
    run = " ".join(runtime)
    assert "COPY --from=builder /opt/sekimori /opt/sekimori" in run
    assert not re.search(r"build-essential|gcc|apt-get install|pip install", run)


def test_dockerfile_runtime_is_non_root_and_read_only_friendly() -> None:
    runtime = dockerfile_stages()[1]
    users = [ln.split()[1] for ln in runtime if ln.startswith("USER ")]
    assert users and users[-1].split(":")[0] == "10001"
    env = " ".join(ln for ln in runtime if ln.startswith("ENV "))
    assert "HOME=/tmp" in env and "TMPDIR=/tmp" in env
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    instructions = {ln.split()[0]: ln for ln in runtime}
    assert json.loads(instructions["ENTRYPOINT"].removeprefix("ENTRYPOINT ")) == ["sekimori"]
    assert json.loads(instructions["CMD"].removeprefix("CMD ")) == [
        "serve",
        "--config",
        "/etc/sekimori/policy.yaml",
        "--host",
        "0.0.0.0",
        "--admin-host",
        "0.0.0.0",
    ]
    assert instructions["EXPOSE"].split()[1:] == ["8080", "8081"]


def test_dockerignore_keeps_local_state_out_but_not_the_sources() -> None:
    ignored = {
        ln.strip()
        for ln in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    assert {".git", ".venv", "tests"} <= ignored
    copied = {"pyproject.toml", "README.md", "detectors", "proxy", "config"}
    assert not copied & ignored


def load_pyproject() -> dict[str, Any]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
