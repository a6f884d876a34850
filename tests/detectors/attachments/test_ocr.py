"""OCR of image attachments by Tesseract (jpn+eng), only when asked.

Runs where tesseract and its Japanese model are installed (``make test`` installs them with
scripts/install_ocr.sh; elsewhere these tests skip). The speed is measured by
bench/attachments.py, not asserted here.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from detectors.attachments import ExtractionError, ExtractLimits, Kind, Part, Reason, extract
from detectors.attachments.ocr import ocr_available
from detectors.engine import Scanner
from detectors.settings import DetectionSettings
from tests.detectors.attachments import samples


def needs_ocr(test: Callable[..., None]) -> Callable[..., None]:
    test = pytest.mark.skipif(
        not ocr_available(), reason="tesseract with jpn not installed (scripts/install_ocr.sh)"
    )(test)
    return pytest.mark.skipif(
        not samples.IPA_GOTHIC.exists(), reason="fonts-ipafont-gothic not installed"
    )(test)


LINES = (
    "株式会社サンプル商事 山田太郎 様",
    f"電話 {samples.PHONE}",
    f"住所 {samples.ADDRESS}",
    f"マイナンバー {samples.MY_NUMBER}",
)


@needs_ocr
@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_screenshot_is_read_and_its_values_found(scanner: Scanner, fmt: str) -> None:
    image = samples.japanese_image(LINES, fmt)
    extracted = extract(image, f"image/{fmt.lower()}", ocr=True)
    assert extracted.kind is Kind(fmt.lower()) and extracted.ocr
    assert [c.location.part for c in extracted.chunks] == [Part.IMAGE]
    text = extracted.text
    assert samples.PHONE in text and samples.MY_NUMBER in text and "東京都千代田区" in text
    found = {f.entity_type for f in scanner.scan(text, DetectionSettings())}
    assert {"PHONE_NUMBER", "JP_MY_NUMBER", "ADDRESS"} <= found


@needs_ocr
def test_an_image_over_the_pixel_limit_is_refused_before_ocr() -> None:
    image = samples.japanese_image(LINES)
    with pytest.raises(ExtractionError) as caught:
        extract(image, None, ExtractLimits(max_image_pixels=10_000), ocr=True)
    assert (caught.value.reason, caught.value.status) == (Reason.IMAGE_TOO_LARGE, 413)


@needs_ocr
def test_ocr_out_of_time_stops_tesseract_and_says_so() -> None:
    image = samples.japanese_image(LINES * 4)
    with pytest.raises(ExtractionError) as caught:
        extract(image, None, ExtractLimits(max_seconds=0.05), ocr=True)
    assert caught.value.reason is Reason.TIME_EXCEEDED


def test_without_tesseract_ocr_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(png, format="PNG")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ExtractionError) as caught:
        extract(png.getvalue(), "image/png", ocr=True)
    assert (caught.value.reason, caught.value.status) == (Reason.OCR_UNAVAILABLE, 503)
