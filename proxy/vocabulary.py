"""The few literal types every room shares, defined once."""

from __future__ import annotations

from typing import Literal

# The two wire formats: OpenAI's (chat, responses, completions, embeddings, models) and
# Anthropic's (messages, count_tokens). Picks the route table, the upstream and the error shape.
Family = Literal["openai", "anthropic"]

# What the policy does with a finding of one entity type.
EntityAction = Literal["block", "mask", "monitor", "allow"]

# What the proxy did with a request (or, for a finding, with that finding): one word
# everywhere it is said — the x-sekimori-action header, the action label of the metrics,
# the audit line's action, the playground and `sekimori scan`. In monitor mode nothing is
# changed and the word says what enforcement would have done (would_block, would_mask).
# "error": refused before a decision (bad input, scanner failure, unknown route).
Outcome = Literal["block", "mask", "clean", "would_block", "would_mask", "error"]

# A JSON document as json.loads returns it and json.dumps takes it; narrow with isinstance.
JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
JsonObject = dict[str, JsonValue]

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com"
