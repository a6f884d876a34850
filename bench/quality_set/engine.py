"""The engine: fills a template's slots, records the expected values, and checks that every
occurrence of an expected value lies inside a slot it filled."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench.quality_set.text import CJK, halfwidth_kana
from bench.quality_set.values import STRUCT_VARIANTS, Gen, random_birth, render
from bench.quality_set.vocabulary import AREAS, BANKS, BRANCHES, COMPANIES, DEPTS

SEED = 20250601
SLOT = re.compile(r"\{(\w+)\}")

# A filled slot: its text and the entity it is expected as (None: context, not expected).
Slots = dict[str, tuple[str, str | None]]


class Builder:
    def __init__(self, seed: int = SEED) -> None:
        self.r = random.Random(seed)
        self.g = Gen(self.r)
        self.records: list[dict[str, object]] = []

    # secondary slots: name -> (text, entity or None)
    def _slot(self, name: str, ctx: dict[str, object]) -> tuple[str, str | None]:
        r, g = self.r, self.g
        p = ctx.setdefault("person", g.person())
        assert isinstance(p, dict)
        area = ctx.setdefault("area", r.choice(AREAS))
        assert isinstance(area, tuple)
        if name == "sei":
            return p["sei"], "PERSON"
        if name == "name":
            return p["sei"] + r.choice(["", " ", "\u3000"]) + p["mei"], "PERSON"
        if name == "name_kana":
            return p["sei_kana"] + " " + p["mei_kana"], "PERSON"
        if name == "holder_half":
            return halfwidth_kana(p["sei_kana"] + " " + p["mei_kana"]), "PERSON"
        if name == "name_roma":
            return p["mei_roma"] + " " + p["sei_roma"], "PERSON"
        if name == "sei2":
            q = ctx.setdefault("person2", g.person())
            assert isinstance(q, dict)
            return q["sei"], "PERSON"
        if name == "mail":
            return str(ctx.setdefault("mail", g.email(p))), "EMAIL_ADDRESS"
        if name == "tel":
            return "-".join(g.phone(r.choice(["mobile", "landline"]))), "PHONE_NUMBER"
        if name == "mobile":
            return "-".join(g.phone("mobile")), "PHONE_NUMBER"
        if name == "postal":
            return str(area[3]), "JP_POSTAL_CODE"
        if name == "addr":
            return (
                f"{area[0]}{area[1]}{area[2]}{r.randint(1, 5)}-{r.randint(1, 30)}-"
                f"{r.randint(1, 20)}"
            ), "ADDRESS"
        if name == "dob":
            y, m, d = random_birth(r)
            return f"{y}年{m}月{d}日", "DATE_OF_BIRTH"
        if name == "company":
            return str(ctx.setdefault("company", r.choice(COMPANIES))), None
        if name == "dept":
            return r.choice(DEPTS), None
        if name == "bank":
            return str(ctx.setdefault("bank", r.choice(BANKS)[0])), None
        if name == "branch":
            return r.choice(BRANCHES), None
        if name == "meeting":
            return f"{r.randint(4, 12)}月{r.randint(1, 28)}日", None
        if name == "amount":
            return f"{r.randint(1, 999) * 1000:,}", None
        raise KeyError(name)

    def add(
        self,
        template: str,
        kind: str,
        variant: str,
        entity: str | None = None,
        value: str | None = None,
        extra: Slots | None = None,
        ctx: dict[str, object] | None = None,
        group: str = "",
    ) -> None:
        ctx = ctx if ctx is not None else {}
        if variant == "glued":
            template = re.sub(r"[ \u3000]*\{v\}[ \u3000]*", "{v}", template)
        filled: Slots = {}
        if entity is not None and value is not None:
            filled["v"] = (value, entity)
        for k, v in (extra or {}).items():
            filled[k] = v
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        expect: list[dict[str, str]] = []
        pos = 0
        length = 0
        for m in SLOT.finditer(template):
            lit = template[pos : m.start()]
            parts.append(lit)
            length += len(lit)
            key = m.group(1)
            if key not in filled:
                filled[key] = self._slot(key, ctx)
            text, ent = filled[key]
            spans.append((length, length + len(text)))
            parts.append(text)
            length += len(text)
            if ent is not None:
                item = {"entity": ent, "value": text}
                if item not in expect:
                    expect.append(item)
            pos = m.end()
        parts.append(template[pos:])
        text = "".join(parts)
        # every occurrence of an expected value must come from a slot
        for item in expect:
            wanted = item["value"]
            start = text.find(wanted)
            assert start >= 0, (wanted, text)
            while start >= 0:
                assert any(a <= start and start + len(wanted) <= b for a, b in spans), (
                    wanted,
                    text,
                )
                start = text.find(wanted, start + 1)
        if variant == "glued" and value is not None:
            i = text.find(value)
            before = text[i - 1] if i > 0 else ""
            after = text[i + len(value)] if i + len(value) < len(text) else ""
            assert CJK.match(before or " ") or CJK.match(after or " "), text
        if kind == "harmless":
            assert not expect, text
        else:
            assert expect, text
        self.records.append(
            {
                "id": "",
                "text": text,
                "expect": expect,
                "variant": variant,
                "kind": kind,
                "group": group or (entity or "harmless"),
            }
        )


def glued_ok(template: str) -> bool:
    """After stripping the spaces around {v}, does a kana/kanji touch the value?"""
    t = re.sub(r"[ \u3000]*\{v\}[ \u3000]*", "{v}", template)
    i = t.find("{v}")
    before = t[i - 1] if i > 0 else ""
    after = t[i + 3] if i + 3 < len(t) else ""
    return bool(CJK.match(before or " ") or CJK.match(after or " "))


def pick(templates: Sequence[str], index: int, variant: str) -> str:
    for k in range(len(templates)):
        t = templates[(index + k) % len(templates)]
        if variant != "glued" or glued_ok(t):
            return t
    raise ValueError("no template can hold a glued value")


# ---------------------------------------------------------------------------------------
# Families as data. A structured family is written in every writing variant; a form family
# lists its forms (the record's variant) with a count and a draw.
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Drawn:
    """A structured value before rendering: its groups, natural separator, the context the
    template's other slots see, and slots drawn after rendering (their order is part of the
    seeded sequence)."""

    groups: list[str]
    sep: str
    ctx: dict[str, object] = field(default_factory=dict)
    late: Callable[[random.Random], Slots] | None = None


@dataclass(frozen=True)
class StructuredFamily:
    entity: str
    templates: tuple[str, ...]
    draw: Callable[[Gen, str], Drawn]  # (generator, variant) -> value
    per_variant: int = 5
    group: str = ""


def expand_structured(b: Builder, family: StructuredFamily) -> None:
    for variant in STRUCT_VARIANTS:
        for i in range(family.per_variant):
            drawn = family.draw(b.g, variant)
            value = render(drawn.groups, drawn.sep, variant, b.r)
            tpl = pick(family.templates, i + STRUCT_VARIANTS.index(variant), variant)
            extra = drawn.late(b.r) if drawn.late else None
            b.add(
                tpl,
                "sensitive",
                variant,
                family.entity,
                value,
                extra=extra,
                ctx=dict(drawn.ctx),
                group=family.group,
            )


@dataclass(frozen=True)
class Sample:
    """One drawn record of a form: the value (None: only the extra slots), and the template
    (None: the family's templates, rotated by record and form)."""

    value: str | None = None
    template: str | None = None
    extra: Slots | None = None
    ctx: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Form:
    name: str
    count: int
    draw: Callable[[Gen, int], Sample]  # (generator, record number) -> sample


@dataclass(frozen=True)
class FormFamily:
    entity: str | None
    forms: tuple[Form, ...]
    templates: tuple[str, ...] = ()
    kind: str = "sensitive"
    group: str = ""


def expand_forms(b: Builder, family: FormFamily) -> None:
    for n, form in enumerate(family.forms):
        for i in range(form.count):
            sample = form.draw(b.g, i)
            tpl = sample.template
            if tpl is None:
                tpl = family.templates[(i + n) % len(family.templates)]
            b.add(
                tpl,
                family.kind,
                form.name,
                family.entity,
                sample.value,
                extra=sample.extra,
                ctx=dict(sample.ctx),
                group=family.group,
            )
