"""Keep detection offline: nothing may be downloaded at run time.

Presidio's e-mail and URL recognizers call ``tldextract.extract``, whose default
extractor fetches the public suffix list over the network on first use. Point it at
the snapshot bundled inside the tldextract package instead.
"""

from __future__ import annotations

import tldextract
import tldextract.tldextract as _impl


def use_bundled_suffix_list() -> None:
    """Replace tldextract's module-level extractor by one that never fetches."""
    if getattr(_impl.TLD_EXTRACTOR, "_sekimori_offline", False):
        return
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    extractor._sekimori_offline = True  # type: ignore[attr-defined]
    _impl.TLD_EXTRACTOR = extractor
