"""corpus/splits.json: which split each document belongs to, read and checked in one place.

Statistics, the datasheet and the scorer all read it through `read_splits`, so a document
listed in two splits is refused everywhere alike. (The release builder adds its own,
stricter checks: known split names only, every listed file present.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .core.jsonfile import read_json_object
from .core.problems import fail

SHAPE = '{"version": ..., "rationale": ..., "splits": {"train": [ids], "validation": [ids], "test": [ids]}}'


@dataclass(frozen=True)
class Splits:
    """The parsed splits file: split name -> document ids (file order), plus its version and rationale."""

    path: Path
    members: dict[str, list[str]]
    version: str | None
    rationale: str | None
    raw: dict

    def owner(self) -> dict[str, str]:
        """doc id -> split name."""
        return {doc_id: split for split, ids in self.members.items() for doc_id in ids}


def read_splits(path: Path, what: str = "the splits file") -> Splits:
    """Read and check a splits file; every problem is a ProblemError naming the file."""
    data = read_json_object(path, what)
    members = data.get("splits")
    if not isinstance(members, dict) or not all(isinstance(v, list) and all(isinstance(i, str) for i in v)
                                                for v in members.values()):
        fail("REL-SPLITS-SHAPE", "not a split assignment", file=str(path), path="$.splits", expected=SHAPE)
    owner: dict[str, str] = {}
    for name, ids in members.items():
        for doc_id in ids:
            if doc_id in owner:
                where = f"twice in split {name!r}" if owner[doc_id] == name else \
                    f"in split {owner[doc_id]!r} and in split {name!r}"
                fail("REL-SPLITS-DUPLICATE", f"the document is {where}; a document belongs to exactly one split "
                     "(or scores would leak between them)", file=str(path), doc_id=doc_id, path=f"$.splits.{name}")
            owner[doc_id] = name
    text = lambda key: data.get(key) if isinstance(data.get(key), str) else None  # noqa: E731
    return Splits(Path(path), {name: list(ids) for name, ids in members.items()}, text("version"), text("rationale"), data)


def draw_order(doc_id: str) -> str:
    """The draw key of a document: documents are drawn in order of the SHA-256 of their id (no RNG state)."""
    import hashlib

    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def stratified_draw(strata: dict[str, list[str]], k: int) -> list[str]:
    """Draw `k` documents from strata in proportion to their sizes (largest remainder), each by `draw_order`.

    Ties between equal remainders go to the stratum whose name sorts first, so the draw is a pure
    function of the ids and `k`.
    """
    total = sum(len(ids) for ids in strata.values())
    share = {name: k * len(ids) / total for name, ids in strata.items()}
    count = {name: int(s) for name, s in share.items()}
    for name in sorted(share, key=lambda n: (-(share[n] - count[n]), n))[:k - sum(count.values())]:
        count[name] += 1
    drawn: list[str] = []
    for name, ids in sorted(strata.items()):
        drawn += sorted(ids, key=draw_order)[:count[name]]
    return sorted(drawn)


#: GUM's own dev and test documents: kept out of train (their GUM annotations are public training data elsewhere)
GUM_HELD_OUT = ("gum-news-homeopathic", "gum-news-iodine", "gum-news-nasa", "gum-news-sensitive")


def source_of(doc_id: str) -> str:
    """The record source of a document id: gum_news, meantime_raw, wikinewssum, meantime_detok or seed."""
    if doc_id.startswith("gum-news-"):
        return "gum_news"
    if doc_id.startswith("meantime-stock-"):
        return "meantime_raw"
    if doc_id.startswith("wns-"):
        return "wikinewssum"
    if doc_id.startswith("meantime-"):
        return "meantime_detok"
    return "seed"


def _held_from_test(eligible: dict[str, str], spare: int) -> list[str]:
    """The `spare` eligible documents that go to validation: drawn by source, then by year within the source."""
    held: list[str] = []
    by_source: dict[str, dict[str, list[str]]] = {}
    for doc_id, year in eligible.items():
        by_source.setdefault(source_of(doc_id), {}).setdefault(f"{source_of(doc_id)}/{year}", []).append(doc_id)
    per_source = stratified_draw({name: [i for ids in strata.values() for i in ids] for name, strata in by_source.items()},
                                 spare)
    for name, strata in sorted(by_source.items()):
        held += stratified_draw(strata, sum(1 for i in per_source if source_of(i) == name))
    return held


def draw_splits(years: dict[str, str], test_size: int = 60, validation_size: int = 20) -> dict[str, list[str]]:
    """The v2 splits from document id -> publication year (the rules are in corpus/splits.json's rationale).

    Test and the non-GUM part of validation come only from original-text, redistributable sources
    that no public annotated corpus holds (meantime_raw, wikinewssum), stratified by source and by year
    within the source; GUM's dev/test documents plus a draw of GUM train fill validation; the rest,
    with every detokenized document and the withheld seed, is train.
    """
    eligible = {doc_id: year for doc_id, year in years.items() if source_of(doc_id) in ("meantime_raw", "wikinewssum")}
    held = _held_from_test(eligible, len(eligible) - test_size)
    test = sorted(set(eligible) - set(held))
    gum = [i for i in years if source_of(i) == "gum_news"]
    gum_val = [i for i in GUM_HELD_OUT if i in years]
    gum_val += sorted((i for i in gum if i not in gum_val), key=draw_order)[:validation_size - len(held) - len(gum_val)]
    validation = sorted(held + gum_val)
    train = sorted(set(years) - set(test) - set(validation))
    return {"train": train, "validation": validation, "test": test}
