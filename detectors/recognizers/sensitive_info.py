"""SENSITIVE_PERSONAL_INFO (要配慮個人情報) candidates: illness, health checks, pregnancy,
disability, criminal records, victimisation, creed, origin and the like, from the keyword
lists in detectors/data/sensitive_terms.json.

A keyword alone is ordinary (うつ病の社員への対応方法 is an HR question): candidates score
below the threshold, and detectors.sensitive raises only those tied to a person in the
same sentence.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import ClassVar

import regex as re
from presidio_analyzer import Pattern

from detectors.recognizers.base import JaPatternRecognizer


def load_terms() -> dict[str, list[str]]:
    raw = json.loads(resources.files("detectors").joinpath("data/sensitive_terms.json")
                     .read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def _alternation() -> str:
    words = sorted({w for ws in load_terms().values() for w in ws}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


CANDIDATE_SCORE = 0.4


class JpSensitiveInfoRecognizer(JaPatternRecognizer):
    ENTITY = "SENSITIVE_PERSONAL_INFO"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("sensitive_term", "(?:" + _alternation() + ")", CANDIDATE_SCORE),
        # 〜病 / 〜症 / 〜罪 names not in the list (パーキンソン病, 睡眠時無呼吸症候群, 窃盗罪).
        Pattern("disease_or_offense_suffix", r"[一-龥ァ-ヴー]{2,10}(?:病|症候群|障害|罪)(?![院棟気室])"
                r"|[一-龥]{1,4}がん", CANDIDATE_SCORE),
        Pattern("religion", r"(?:キリスト|イスラム|ユダヤ|ヒンドゥー|ヒンズー|仏|天理|カトリック|"
                r"プロテスタント)教(?:徒|会)?|神道|創価学会|モルモン教", CANDIDATE_SCORE),
    ]
    # Context is handled by tie_to_person, not by keyword boosts.
    CONTEXT: ClassVar[list[str]] = []
