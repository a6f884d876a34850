"""The few literal types every room shares, defined once."""

from __future__ import annotations

from typing import Literal

# The two wire formats: OpenAI's (chat, responses, completions, embeddings, models) and
# Anthropic's (messages, count_tokens). Picks the route table, the upstream and the error shape.
Family = Literal["openai", "anthropic"]

# What the policy does with a finding of one entity type.
EntityAction = Literal["block", "mask", "monitor", "allow"]

# What the audit line and the requests metric say the proxy did with a request.
RequestAction = Literal["error", "block", "mask", "monitor", "allow"]

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com"
