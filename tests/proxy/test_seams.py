"""Values cut across segments (issue 15, item 10). Before the fix only two adjacent
non-empty segments were joined: a My Number in three parts, or in two parts around an
empty message, passed unseen."""

from __future__ import annotations

import aiohttp
import pytest

from detectors.engine import SEAM_CHARS
from detectors.settings import DetectionSettings
from detectors.plan import SEAM_WINDOW, seams_of
from detectors.plan import map_back as _map_back

CASES = {
    "three parts": ["マイナンバーは6152", "3748", "5127です"],
    "around an empty message": ["マイナンバーは6152", "", "37485127です"],
    "four parts and two empties": ["マイナンバーは61", "", "5237", "4851", "", "27です"],
}


@pytest.mark.parametrize("texts", CASES.values(), ids=CASES.keys())
async def test_a_value_cut_in_several_parts_is_found(scan_service, texts: list[str]) -> None:
    outcome = await scan_service.scan(texts, DetectionSettings())
    hits = [f for f in outcome.findings if f.entity_type == "JP_MY_NUMBER"]
    covered = "".join(
        texts[f.segment][f.start : f.end] for f in sorted(hits, key=lambda f: f.segment)
    )
    assert covered == "615237485127"


async def test_normal_neighbours_find_nothing(scan_service) -> None:
    outcome = await scan_service.scan(["会議は10時", "", "から", "3階です"], DetectionSettings())
    assert outcome.findings == []


def test_seam_sides_skip_empty_segments_and_gather_short_ones() -> None:
    texts = ["a" * 100, "", "bc", "d" * 70]
    seams = seams_of(texts)
    assert len(seams) == 2  # 0|2 and 2|3; the empty segment makes no boundary
    first, second = seams
    assert first.left_pieces == ((0, 100 - SEAM_WINDOW, 100),)
    assert first.right_pieces == ((2, 0, 2), (3, 0, SEAM_WINDOW - 2))
    assert second.left == ("a" * 100)[-(SEAM_WINDOW - 2) :] + "bc"
    assert second.right == "d" * SEAM_WINDOW


def test_map_back() -> None:
    pieces = ((0, 10, 14), (2, 0, 4), (3, 0, 6))
    assert _map_back(pieces, 2, 11) == [(0, 12, 14), (2, 0, 4), (3, 0, 3)]


def test_the_window_matches_the_engine() -> None:
    assert SEAM_WINDOW == SEAM_CHARS


async def test_a_my_number_around_an_empty_message_is_blocked(start_proxy, fake) -> None:
    proxy = await start_proxy()
    body = {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "user", "content": "マイナンバーは6152"},
            {"role": "assistant", "content": ""},
            {"role": "user", "content": "37485127です"},
        ],
    }
    async with aiohttp.ClientSession() as s:
        async with s.post(proxy.openai_base + "/chat/completions", json=body) as r:
            assert r.status == 400
            assert (await r.json())["error"]["code"] == "sensitive_data_blocked"
    assert fake.requests == []
