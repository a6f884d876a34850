"""Build the labelled Japanese evaluation set ``tests/data/quality/quality.jsonl``.

Deterministic: one seeded ``random.Random``, no set iteration, no clock. Run

    .venv/bin/python -m bench.quality_set            # writes the default file
    .venv/bin/python -m bench.quality_set --check    # regenerates and compares

Every record is ``{"id", "text", "expect": [{"entity", "value"}], "variant", "kind"}``.
``kind`` is ``sensitive`` (at least one expected value) or ``harmless`` (none: nothing in
the text may be changed). Every ``value`` occurs verbatim in ``text``, and every
occurrence of it lies inside a slot the generator filled (so a surname can never match
ordinary template words by accident).

Structured identifiers (My Number, 法人番号, phone, postal code, card, bank account,
passport, licence, residence card, pension number) each appear in every writing variant:

    plain          the usual ASCII form (090-1234-5678, 123456789018)
    fullwidth      全角 digits, letters and ``－`` (０９０－１２３４－５６７８)
    dash_variant   ``ー ― ‐ − – —`` as separators between the groups
    spaced         ASCII or ideographic spaces between the groups
    kanji_numeral  digits as kanji numerals (〇九〇の一二三四の五六七八)
    zero_width     U+200B zero-width spaces between digits
    glued          plain form with no space between it and the Japanese text around it

Check digits are computed here, not copied: My Number (番号法施行規則 5条), 法人番号
(mod 9, leading check digit), Luhn with real IIN prefixes for cards, the (unofficial)
licence check digit, EAN/JAN check digits for the harmless product codes. Phone numbers
follow the Japanese numbering plan (mobile 070/080/090, 050 IP, 0120/0800 free dial,
geographic area codes, +81) and are asserted valid with ``phonenumbers``.

All names, companies, numbers and keys are invented; addresses use real prefecture /
city / town names (public geography) with invented block numbers.
"""

from bench.quality_set.generate import DEFAULT_OUT, build, dump, main, stats

__all__ = ["DEFAULT_OUT", "build", "dump", "main", "stats"]
