"""Text in images, by the Tesseract binary with its Japanese and English models (opt-in).

Run only when the caller asks: ``tesseract stdin stdout -l jpn+eng``, one thread
(OMP_THREAD_LIMIT=1, the scan workers already use every core), with a subprocess timeout of
what is left of the time budget, so Tesseract is killed when the budget runs out. Images over
``max_image_pixels`` are refused before decoding (Pillow reads only the header). GIF and
WebP are converted to PNG first (first frame). Tesseract's Japanese model puts spaces between
characters; spaces between two Japanese characters are removed so names and addresses read
as written. Missing Tesseract or a missing language model is a clear ``ocr_unavailable``
error (503), never an empty text.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess

from PIL import Image, UnidentifiedImageError

from detectors.attachments.budget import Budget
from detectors.attachments.types import ExtractionError, Kind, Location, Part, Reason

LANGUAGES = "jpn+eng"
JA_CHAR = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
JA_GAP = re.compile(rf"(?<={JA_CHAR})[ \t]+(?={JA_CHAR})")
CONVERT = frozenset({Kind.GIF, Kind.WEBP})


@functools.cache
def _installed_languages(binary: str) -> frozenset[str]:
    try:
        out = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def ocr_available(languages: str = LANGUAGES) -> bool:
    binary = shutil.which("tesseract")
    return binary is not None and set(languages.split("+")) <= _installed_languages(binary)


def ocr_image(data: bytes, kind: Kind, budget: Budget, languages: str = LANGUAGES) -> None:
    where = Location(Part.IMAGE)
    binary = shutil.which("tesseract")
    if binary is None or not set(languages.split("+")) <= _installed_languages(binary):
        raise ExtractionError(Reason.OCR_UNAVAILABLE)
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > budget.limits.max_image_pixels:
                raise ExtractionError(Reason.IMAGE_TOO_LARGE, where)
            if kind in CONVERT:
                converted = io.BytesIO()
                image.convert("RGB").save(converted, format="PNG")
                data = converted.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ExtractionError(Reason.MALFORMED, where) from None
    remaining = budget.remaining()
    if remaining <= 0:
        raise ExtractionError(Reason.TIME_EXCEEDED, where)
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", languages],
            input=data,
            capture_output=True,
            timeout=remaining,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired:
        raise ExtractionError(Reason.TIME_EXCEEDED, where) from None
    if done.returncode != 0:
        raise ExtractionError(Reason.MALFORMED, where)
    text = done.stdout.decode("utf-8", errors="replace")
    budget.add(where, JA_GAP.sub("", text).strip())
