"""The model label of metrics and the audit log is an exact allow-list (issue 15, item 8).
Before the fix it was a prefix check: ``gpt-615237485127`` became its own series."""

from __future__ import annotations

import pytest

from proxy.observability.metrics import model_label

CASES = [
    ("gpt-4o-mini", "gpt-4o-mini"),
    ("gpt-4o-2024-08-06", "gpt-4o-2024-08-06"),
    ("claude-3-5-haiku-20241022", "claude-3-5-haiku-20241022"),
    ("claude-sonnet-4-5", "claude-sonnet-4-5"),
    ("text-embedding-3-small", "text-embedding-3-small"),
    ("o3", "o3"),
    # near misses: a listed prefix with anything after it
    ("gpt-615237485127", "other"),
    ("gpt-4o-mini-615237485127", "other"),
    ("o1" + "x" * 20, "other"),
    ("claude-yamada-taro", "other"),
    ("text-embedding-taro@example.co.jp", "other"),
    ("gpt-4o-2024-08-06x", "other"),
    ("gpt-4o-20240806-20240806", "other"),
    ("", "other"),
    (None, "other"),
]


@pytest.mark.parametrize(("model", "label"), CASES)
def test_model_label_is_an_exact_allow_list(model: str | None, label: str) -> None:
    assert model_label(model) == label
