"""Every kind's registry record carries the facts the tools read (layer, title, family), so the docs site,
lineage, trace, the batch audit and the load-case tests need no hand-kept list of kinds (issue 14). Fast tier."""

from __future__ import annotations

import pytest

from generator.kinds import KIND_BY_PREFIX, KINDS, KindDef
from generator.kinds.registry import FAMILIES, LAYERS


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_every_kind_states_its_facts(kind: KindDef) -> None:
    assert kind.layer in LAYERS, f"{kind.kind}: layer {kind.layer!r} is not one of {LAYERS}"
    assert kind.family in FAMILIES, f"{kind.kind}: family {kind.family!r} is not one of {FAMILIES}"
    assert kind.title and kind.title == kind.title.strip(), f"{kind.kind}: no title"
    assert kind.plural and kind.plural[0].isupper(), f"{kind.kind}: no plural heading"
    assert KIND_BY_PREFIX[kind.id_prefix] is kind


def test_the_facts_agree_with_each_other() -> None:
    for kind in KINDS:
        assert kind.is_derived == (kind.family in ("generated", "sql")), kind.kind
        assert (kind.layer == "staging") == (kind.family == "source"), kind.kind
    assert len(KIND_BY_PREFIX) == len(KINDS), "two kinds share an id prefix"
