"""``python -m proxy.policy > config/policy.schema.json``: print the policy's JSON schema."""

import json
import sys

from proxy.policy import export_schema

json.dump(export_schema(), sys.stdout, ensure_ascii=False, indent=2)
sys.stdout.write("\n")
