"""The policy users write in YAML: its schema, the messages for a bad file, and what it
resolves to per team. Import the public names from here."""

from proxy.policy.issues import PolicyError, UnknownTeamError
from proxy.policy.load import default_policy, load_policy, parse_policy
from proxy.policy.model import Policy, effective_upstreams
from proxy.policy.schema import DEFAULT_ACTIONS, Action, ValidatorName, export_schema

__all__ = [
    "DEFAULT_ACTIONS",
    "Action",
    "Policy",
    "PolicyError",
    "UnknownTeamError",
    "ValidatorName",
    "default_policy",
    "effective_upstreams",
    "export_schema",
    "load_policy",
    "parse_policy",
]
