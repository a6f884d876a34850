"""Sudachi tokens for every character, GiNZA NER only where a name can be.

GiNZA's tok2vec + NER runs at about 1,600 characters per second per core; Sudachi alone
tokenises at about a million. So the engine tokenises everything with Sudachi (part of
speech tells it where person names may be), and the mode decides what happens where the
rules are unsure (a lone surname, a given name alone):

- ``rules`` (the default): no NER; such a weak candidate counts as a name (the windows are
  "unresolved", as past the NER budget). Measured on red-team rounds r1–r10, GiNZA on the
  gate added 0.1 % of values caught (17 of 11,844) at about 1.7 times the time, 2.4 times
  on prose (bench/results/modes.md).
- ``fast``: GiNZA's NER on the windows around those signals only.
- ``thorough``: NER on every sentence.

This is a Presidio ``NlpEngine``: ``process_text`` returns :class:`JaNlpArtifacts`, which
the recognizers read (``PersonRecognizer`` uses the tokens and the NER spans).
"""

from __future__ import annotations

import bisect
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, NamedTuple

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

Mode = Literal["rules", "fast", "thorough"]

# Sudachi refuses input over 49,149 bytes; stay well below it.
SUDACHI_CHUNK_BYTES = 40_000
# Longest piece handed to GiNZA at once; longer sentences are cut with an overlap so
# a name on the cut is still seen whole by one of the two pieces.
NER_PIECE_CHARS = 600
NER_PIECE_OVERLAP = 40
NER_BATCH = 32
# GiNZA answers kept per worker, by window text (a window is ~30 characters).
NER_CACHE_ENTRIES = 8192

GINZA_EXCLUDE = [
    "parser",
    "morphologizer",
    "compound_splitter",
    "bunsetu_recognizer",
    "attribute_ruler",
]

_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?\n]+|$)")

# In fast mode GiNZA sees only a window of this many characters on each side of the name
# evidence the rules could not settle (clipped to the sentence). GiNZA's tok2vec looks 8
# tokens each way (depth 8, window 1), about 12 characters of Japanese. Measured against
# 20 on the quality set and 500 news sentences: the same recall and precision, 3 of
# 1,674 texts with a different PERSON span, and a third less GiNZA time (it costs ~0.5 ms
# per character).
NER_WINDOW = 12

# Most characters of one text GiNZA reads in fast mode (~1 s of NER). A real prompt needs
# a few dozen (unseen 1,000-character prompts: 10 on average); a long name-dense document
# (100,000 characters of Wikipedia: ~3,000) or a text built to trigger everywhere goes past
# it, and then the rules decide the remaining spots on their own, counting a weak name
# candidate as a name: a long document is scanned within the deadline, never refused for
# its length, and what is uncertain is masked rather than sent.
NER_BUDGET_CHARS = 2_000

# (text, tokens) -> (spans where NER is worth running, the rule evidence computed on the
# way, kept for the recognizer); see detectors.person.ner_triggers.
TriggerFn = Callable[[str, list["Token"]], tuple[list[tuple[int, int]], Any]]


def load_label_map() -> dict[str, str]:
    """GiNZA label -> Sekimori type, from detectors/data/ginza_labels.json."""
    raw = json.loads(
        resources.files("detectors").joinpath("data/ginza_labels.json").read_text(encoding="utf-8")
    )
    return {k: v for k, v in raw.items() if not k.startswith("_")}


class Token(NamedTuple):
    """One Sudachi morpheme: offsets in the analysed text, its part of speech and the
    flags the name rules read (a tuple: a 1,000-character text has ~550 of them, and
    a tuple is built and read several times faster than a frozen dataclass)."""

    start: int
    end: int
    pos: tuple[str, ...]
    is_person_name: bool = False
    is_proper_noun: bool = False
    is_common_noun: bool = False
    # Not in Sudachi's dictionary: a rare name (オルリンスキ) rather than a word (ラベル).
    is_oov: bool = False
    # A place name (地名), or a short kanji common noun, that the dictionary also lists as
    # a surname (松本, 福岡, 小川, 金城; not 大阪, 会議).
    place_or_surname: bool = False
    # A run of katakana Sudachi joined itself: no word of its dictionary (イケハラ, チネン
    # are not; ホテル, サービス are), though is_oov stays False.
    is_joined_katakana: bool = False


KANJI_RUN = re.compile(r"[一-龥々〆ヶ]+")
# What tokenize checks against the surname dictionary: every place name, and short
# common nouns written in kanji.
_PLACE, _COMMON = 1, 2
# The word id Sudachi gives a run of katakana it joined itself (not in its dictionary).
_JOINED = 0x0FFFFFFF


def _pos_flags(pos: tuple[str, ...]) -> tuple[tuple[str, ...], bool, bool, bool]:
    """(pos, 人名?, 固有名詞?, 普通名詞?) for one part of speech."""
    return (
        pos,
        len(pos) > 2 and pos[2] == "人名",
        len(pos) > 1 and pos[1] == "固有名詞",
        len(pos) > 1 and pos[0] == "名詞" and pos[1] == "普通名詞",
    )


@dataclass(frozen=True, slots=True)
class NerSpan:
    entity_type: str  # mapped (PERSON, LOCATION, ORGANIZATION, SENSITIVE_HINT)
    label: str  # GiNZA's own label
    start: int
    end: int


class JaNlpArtifacts(NlpArtifacts):
    """NlpArtifacts with Sudachi tokens and mapped NER spans in text offsets."""

    def __init__(
        self,
        tokens: list[Token],
        ner_spans: list[NerSpan],
        ner_chars: int,
        rule_evidence: Any = None,
        unresolved: list[tuple[int, int]] | None = None,
    ) -> None:
        super().__init__(
            entities=[],
            tokens=None,  # type: ignore[arg-type]
            tokens_indices=[],
            lemmas=[],
            nlp_engine=None,
            language="ja",
        )
        self.ja_tokens = tokens
        self.ner_spans = ner_spans
        self.ner_chars = ner_chars  # how many characters went through GiNZA
        self.rule_evidence = rule_evidence
        # Windows past the NER budget: the rules decide there, erring towards a name.
        self.unresolved = unresolved or []


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans (end-exclusive), cutting at 。！？!? and newlines."""
    for m in _SENTENCE.finditer(text):
        if m.end() > m.start():
            yield m.start(), m.end()


def _byte_chunks(text: str, limit: int) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` whose UTF-8 size stays under ``limit``, cut at sentence ends."""
    start = 0
    n = len(text)
    while start < n:
        # 3 bytes per character at most for the BMP, 4 beyond: a safe character budget.
        end = min(n, start + limit // 4)
        if end < n:
            cut = max(text.rfind(c, start, end) for c in "。\n！？!?")
            if cut > start:
                end = cut + 1
        yield start, end
        start = end


def _pieces(start: int, end: int) -> Iterator[tuple[int, int]]:
    if end - start <= NER_PIECE_CHARS:
        yield start, end
        return
    pos = start
    while pos < end:
        stop = min(end, pos + NER_PIECE_CHARS)
        yield pos, stop
        if stop == end:
            break
        pos = stop - NER_PIECE_OVERLAP


def _within_budget(
    spans: list[tuple[int, int]], budget: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The windows GiNZA gets (in text order, up to ``budget`` characters) and the rest."""
    kept: list[tuple[int, int]] = []
    used = 0
    for k, (s, e) in enumerate(spans):
        if used + (e - s) > budget:
            return kept, spans[k:]
        kept.append((s, e))
        used += e - s
    return kept, []


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


@dataclass
class GateStats:
    """What the NER gate did, for benchmarks: texts, characters and GiNZA windows, and how
    many windows found a person (the gate's precision)."""

    texts: int = 0
    chars: int = 0
    texts_with_ner: int = 0
    ner_chars: int = 0
    windows: int = 0
    windows_with_person: int = 0


class JaNlpEngine(NlpEngine):
    """Presidio NLP engine over SudachiPy and the GiNZA ``ja_ginza`` pipeline."""

    def __init__(
        self, model_name: str = "ja_ginza", mode: Mode = "fast", triggers: TriggerFn | None = None
    ) -> None:
        self.model_name = model_name
        self.mode: Mode = mode
        self.triggers = triggers
        self.label_map = load_label_map()
        self._nlp: Any = None
        self._sudachi: Any = None
        self._dictionary: Any = None
        self._morphemes: Any = None
        self._pos_cache: dict[int, tuple[tuple[tuple[str, ...], bool, bool, bool], int]] = {}
        self._ner_cache: OrderedDict[str, tuple[tuple[int, int, str], ...]] = OrderedDict()
        self.stats = GateStats()
        # Per check (_PLACE, _COMMON): surface -> also a surname?
        self._surname_caches: dict[int, dict[str, bool]] = {_PLACE: {}, _COMMON: {}}

    def load(self) -> None:
        import spacy
        from sudachipy import Dictionary, SplitMode

        # Only tok2vec + ner: the parser and morphologizer are not needed to find names.
        self._nlp = spacy.load(self.model_name, exclude=GINZA_EXCLUDE)
        self._dictionary = Dictionary(dict="core")
        # Only the part of speech is read from each morpheme: Sudachi skips the other
        # fields (readings, normalised forms), ~10 % of its time.
        self._sudachi = self._dictionary.create(mode=SplitMode.C, fields={"pos"})
        self._morphemes = self._sudachi.tokenize("")

    def is_loaded(self) -> bool:
        return self._nlp is not None

    # -- Presidio NlpEngine interface -------------------------------------------------
    def process_text(self, text: str, language: str) -> JaNlpArtifacts:
        return self.analyze(text, self.mode)

    def process_batch(
        self, texts: Any, language: str, batch_size: int = 1, n_process: int = 1, **kwargs: Any
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return False

    def is_punct(self, word: str, language: str) -> bool:
        return False

    def get_supported_entities(self) -> list[str]:
        return sorted(set(self.label_map.values()))

    def get_supported_languages(self) -> list[str]:
        return ["ja"]

    # -- the work ------------------------------------------------------------------------
    def tokenize(self, text: str) -> list[Token]:
        if not self.is_loaded():
            self.load()
        tokens: list[Token] = []
        append = tokens.append
        kinds = self._pos_cache
        caches = self._surname_caches
        new = tuple.__new__
        # One MorphemeList, refilled for every chunk (Sudachi allocates less).
        morphemes = self._morphemes
        for c_start, c_end in _byte_chunks(text, SUDACHI_CHUNK_BYTES):
            self._sudachi.tokenize(text[c_start:c_end], out=morphemes)
            for m in morphemes:
                # Parts of speech are a small closed set: look each id up once.
                pos_id = m.part_of_speech_id()
                kind = kinds.get(pos_id)
                if kind is None:
                    kind = kinds[pos_id] = self._pos_kind(pos_id)
                flags, check = kind
                begin = m.begin()
                end = m.end()
                surname = False
                # A place name (地名), or a short kanji common noun (小川, 大木, 星, 金城),
                # that is also a surname.
                if check and (check == _PLACE or end - begin <= 3):
                    surface = m.surface()
                    surname = caches[check].get(surface)  # type: ignore[assignment]
                    if surname is None:
                        surname = self._is_surname(surface, check)
                append(
                    new(
                        Token,
                        (
                            c_start + begin,
                            c_start + end,
                            *flags,
                            m.is_oov(),
                            surname,
                            # only a common noun can be a katakana run Sudachi joined
                            flags[3] and m.word_id() == _JOINED,
                        ),
                    )
                )
        return tokens

    def _pos_kind(self, pos_id: int) -> tuple[tuple[tuple[str, ...], bool, bool, bool], int]:
        flags = _pos_flags(tuple(self._dictionary.pos_of(pos_id)))
        pos = flags[0]
        if len(pos) > 2 and pos[2] == "地名":
            return flags, _PLACE
        return flags, _COMMON if flags[3] else 0

    def _is_surname(self, surface: str, check: int) -> bool:
        found = (check == _PLACE or KANJI_RUN.fullmatch(surface) is not None) and any(
            len(pos) > 2 and pos[2] == "人名"
            for pos in (m.part_of_speech() for m in self._dictionary.lookup(surface))
        )
        cache = self._surname_caches[check]
        if len(cache) < 50_000:
            cache[surface] = found
        return found

    def analyze(self, text: str, mode: Mode) -> JaNlpArtifacts:
        tokens = self.tokenize(text)
        bounds = [b for b in sentences(text) if text[b[0] : b[1]].strip()]
        spans: list[tuple[int, int]] = []
        unresolved: list[tuple[int, int]] = []
        evidence: Any = None
        if mode == "thorough" or self.triggers is None:
            for s, e in bounds:
                spans.extend(_pieces(s, e))
        else:
            starts = [b[0] for b in bounds]
            windows: list[tuple[int, int]] = []
            triggers, evidence = self.triggers(text, tokens)
            for s, e in triggers:
                k = bisect.bisect_right(starts, s) - 1
                lo, hi = bounds[k] if k >= 0 else (0, len(text))
                windows.append((max(lo, s - NER_WINDOW), min(max(hi, e), e + NER_WINDOW)))
            for s, e in _merge(windows):
                spans.extend(_pieces(s, e))
            budget = 0 if mode == "rules" else NER_BUDGET_CHARS
            spans, unresolved = _within_budget(spans, budget)
        ner = self.ner(text, spans)
        ner_chars = sum(e - s for s, e in spans)
        stats = self.stats
        stats.texts += 1
        stats.chars += len(text)
        stats.texts_with_ner += 1 if spans else 0
        stats.ner_chars += ner_chars
        return JaNlpArtifacts(tokens, ner, ner_chars, evidence, unresolved)

    def ner(self, text: str, spans: list[tuple[int, int]]) -> list[NerSpan]:
        if not spans:
            return []
        if not self.is_loaded():
            self.load()
        found: dict[tuple[int, int, str], NerSpan] = {}
        pieces = [text[s:e] for s, e in spans]
        # Windows repeat (a signature, a greeting, the same name in every turn): GiNZA's
        # answer for a piece of text is cached by the text itself.
        todo = list(dict.fromkeys(p for p in pieces if p not in self._ner_cache))
        for piece, doc in zip(todo, self._nlp.pipe(todo, batch_size=NER_BATCH)):
            self._ner_cache[piece] = tuple(
                (ent.start_char, ent.end_char, ent.label_) for ent in doc.ents
            )
        while len(self._ner_cache) > NER_CACHE_ENTRIES:
            self._ner_cache.popitem(last=False)
        for (offset, _), piece in zip(spans, pieces):
            self._ner_cache.move_to_end(piece)
            self.stats.windows += 1
            if any(self.label_map.get(label) == "PERSON" for *_, label in self._ner_cache[piece]):
                self.stats.windows_with_person += 1
            for ent_start, ent_end, label in self._ner_cache[piece]:
                mapped = self.label_map.get(label)
                if mapped is None:
                    continue
                start, end = offset + ent_start, offset + ent_end
                # GiNZA spans can carry trailing whitespace ('山田\u3000').
                while end > start and text[end - 1].isspace():
                    end -= 1
                while start < end and text[start].isspace():
                    start += 1
                if end > start:
                    found[(start, end, mapped)] = NerSpan(mapped, label, start, end)
        return sorted(found.values(), key=lambda s: (s.start, s.end))
