"""The bundled gold corpus: complete, licensed, split, internally consistent, and right where spot-checked.

The spot checks were written by reading the article texts, independently of the annotation files:
each names a fact about the text (a name, a speaker, a claimant) that the gold layers must contain.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from whosaidwhat.core.document import LAYERS, resolve_entity
from whosaidwhat.validation import ERROR, validate_document

from .conftest import REPO

CORPUS = REPO / "corpus"
DOCS = sorted((CORPUS / "documents").glob("*.json"))
SEED = "seed-kremlin-rejects-armenian-pm"


@cache
def load(doc_id: str) -> dict:
    return json.loads((CORPUS / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))


def ids() -> list[str]:
    return [p.stem for p in DOCS]


def test_the_corpus_has_every_article_of_the_five_sources():
    from whosaidwhat.splits import source_of

    counts: dict[str, int] = {}
    for doc_id in ids():
        counts[source_of(doc_id)] = counts.get(source_of(doc_id), 0) + 1
    assert counts == {"seed": 1, "gum_news": 24, "meantime_raw": 30, "wikinewssum": 36, "meantime_detok": 89}


@pytest.mark.parametrize("doc_id", ids())
def test_every_document_validates_and_its_layers_are_annotated_together(doc_id):
    """A document is annotated in all three layers under one guidelines version, or (still in the campaign) in none."""
    doc = load(doc_id)
    assert [p.line() for p in validate_document(doc, doc_id) if p.level == ERROR] == []
    records = [doc["provenance"]["layers"][layer] for layer in LAYERS]
    statuses = {r["status"] for r in records}
    assert statuses in ({"gold"}, {"absent"}), statuses
    if statuses == {"gold"}:
        assert len({r["guidelines_version"] for r in records}) == 1
        assert all(r["producers"] for r in records)
        assert doc["mentions"] and doc["claims"]  # two articles (election, expo) report no speech at all
    else:
        assert not doc["entities"] and not doc["mentions"] and not doc["quotes"] and not doc["claims"]


@pytest.mark.parametrize("doc_id", ids())
def test_every_document_carries_source_date_url_and_license(doc_id):
    meta = load(doc_id)["metadata"]
    license_ = meta["license"]
    assert license_["id"] and isinstance(license_["redistributable"], bool)
    if doc_id == SEED:
        assert license_["redistributable"] is False  # license unknown: withheld from releases
        return
    assert license_["id"] in ("CC-BY-2.5", "LicenseRef-Wikinews-public-domain") and license_["redistributable"] is True
    assert "Wikinews" in license_["attribution"]
    assert meta["url"].startswith("https://en.wikinews.org/wiki/") and meta["published"]
    if doc_id.startswith("gum-news-"):
        assert meta["annotation_license"]["id"] == "CC-BY-4.0" and "GUM" in meta["annotation_license"]["attribution"]
    else:
        assert meta["text_origin"] in ("original", "rendered-wikitext", "detokenized")
        assert (meta["text_origin"] == "detokenized") == doc_id.startswith(("meantime-airbus", "meantime-apple", "meantime-gm"))


def test_splits_assign_every_document_exactly_once():
    splits = json.loads((CORPUS / "splits.json").read_text(encoding="utf-8"))["splits"]
    assigned = [doc_id for members in splits.values() for doc_id in members]
    assert sorted(assigned) == sorted(ids())
    assert set(splits) == {"train", "validation", "test"}


def test_gum_license_notice_ships_with_the_corpus():
    notice = (CORPUS / "raw" / "gum_news" / "README.md").read_text(encoding="utf-8")
    assert "CC BY 2.5" in notice and "CC BY 4.0" in notice and "gucorpling.org/gum" in notice


@pytest.mark.parametrize("doc_id", ids())
def test_claims_made_in_a_quote_lie_inside_it_and_share_its_source(doc_id):
    doc = load(doc_id)
    quotes = {q["id"]: q for q in doc["quotes"]}
    for claim in doc["claims"]:
        if claim["quote"] is None:
            continue
        quote = quotes[claim["quote"]]
        for fragment in claim["fragments"]:
            assert any(f["start"] <= fragment["start"] and fragment["end"] <= f["end"] for f in quote["fragments"]), \
                (claim["id"], fragment["text"])
        assert resolve_entity(doc, claim["claimant"]) == resolve_entity(doc, quote["speaker"]), claim["id"]


@pytest.mark.parametrize("doc_id", ids())
def test_direct_quotes_have_a_known_speaker(doc_id):
    doc = load(doc_id)
    for quote in doc["quotes"]:
        if quote["type"] == "direct":
            assert quote["speaker"]["kind"] in ("mention", "entity"), quote["id"]


# --- spot checks against the text -------------------------------------------------------

def names(doc_id: str) -> set[tuple[str, str]]:
    return {(m["text"], m["type"]) for m in load(doc_id)["mentions"] if m["kind"] == "name"}


def speaker_of(doc_id: str, words: str) -> str:
    doc = load(doc_id)
    quote = next(q for q in doc["quotes"] if any(words in f["text"] for f in q["fragments"]))
    entity = resolve_entity(doc, quote["speaker"])
    return next(e["name"] for e in doc["entities"] if e["id"] == entity)


def claimant_of(doc_id: str, words: str) -> str:
    doc = load(doc_id)
    claim = next(c for c in doc["claims"] if any(words in f["text"] for f in c["fragments"]))
    if claim["claimant"]["kind"] == "outlet":
        return "<outlet>"
    entity = resolve_entity(doc, claim["claimant"])
    return next(e["name"] for e in doc["entities"] if e["id"] == entity)


def test_seed_names_people_organisations_and_places():
    expected = {("Nikol Pashinyan", "PER"), ("Pashinyan", "PER"), ("Dmitry Peskov", "PER"), ("Peskov", "PER"),
                ("Kremlin", "ORG"), ("La Repubblica", "ORG"), ("Russia", "GPE"), ("Armenia", "GPE"),
                ("Azerbaijan", "GPE"), ("Moscow", "GPE"), ("Ukraine", "GPE"), ("Yerevan", "GPE"), ("Baku", "GPE"),
                ("Nagorno-Karabakh", "GPE"), ("South Caucasus", "LOC"), ("Armenians", "NORP")}
    assert expected <= names(SEED)
    assert not {n for n, _ in names(SEED)} & {"Armenian", "Italian", "Tuesday", "The Kremlin"}


def test_seed_every_direct_quote_has_the_right_speaker():
    assert speaker_of(SEED, "we see that Russia") == "Nikol Pashinyan"
    assert speaker_of(SEED, "We cannot agree with these theses") == "Dmitry Peskov"
    assert speaker_of(SEED, "Russia is an absolutely integral part") == "Dmitry Peskov"
    assert speaker_of(SEED, "Russia continues to play the role of guarantor") == "Dmitry Peskov"
    assert speaker_of(SEED, "Russia is not going anywhere") == "Dmitry Peskov"
    direct = [q for q in load(SEED)["quotes"] if q["type"] == "direct"]
    assert len(direct) == 3  # paragraphs 8-9 and the two sentences of paragraph 13 are one quote each


def test_seed_claims_are_checkable_and_attributed():
    assert claimant_of(SEED, "has a military base in Armenia") == "Dmitry Peskov"
    assert claimant_of(SEED, "120,000 inhabitants") == "<outlet>"
    assert claimant_of(SEED, "failing to ensure Armenia") == "Nikol Pashinyan"
    texts = " ".join(f["text"] for c in load(SEED)["claims"] for f in c["fragments"])
    assert "We cannot agree" not in texts  # an objection, not a checkable assertion
    assert "not planning to leave" not in texts  # an intention


def test_korea_names_and_speakers():
    expected = {("North Korea", "GPE"), ("South Korea", "GPE"), ("Korean Central News Agency", "ORG"), ("KCNA", "ORG")}
    assert expected <= names("gum-news-korea")
    assert speaker_of("gum-news-korea", "Foolhardy provocation deserves harsh punishment") == "Korean Central News Agency"


def test_afghan_the_ambassador_speaks_and_is_named_without_title():
    assert ("Hamdullah Mohib", "PER") in names("gum-news-afghan")
    assert speaker_of("gum-news-afghan", "Seventeen years ago") == "Hamdullah Mohib"


def test_crane_headline_toll_is_an_outlet_claim():
    assert claimant_of("gum-news-crane", "107") == "<outlet>"
    assert ("Mecca", "GPE") in names("gum-news-crane")


def test_campaign_annotations_are_valid_independent_and_of_the_corpus_texts():
    """Every document of each pass is one annotator's work, made from the text and guidelines only, of the corpus text."""
    from whosaidwhat.agreement.independence import dependence

    passes = {p.name: {json.loads(f.read_text(encoding="utf-8"))["id"]: json.loads(f.read_text(encoding="utf-8"))
                       for f in sorted(p.glob("*.json"))} for p in (CORPUS / "annotations").iterdir() if p.is_dir()}
    assert set(passes) == {"pass-a", "pass-b", "pass-c"}
    campaign = REPO / "annotation" / "campaigns" / "corpus-1.0"
    batches = {}
    for plan_file in (campaign / "plan.json", campaign / "round-2" / "plan.json"):
        batches.update(json.loads(plan_file.read_text(encoding="utf-8"))["batches"])
    splits = json.loads((CORPUS / "splits.json").read_text(encoding="utf-8"))["splits"]
    assert set(splits["test"]) <= set(passes["pass-b"]) and set(passes["pass-b"]) <= set(passes["pass-a"])
    assert len(passes["pass-b"]) >= len(splits["test"]) + (len(ids()) - len(splits["test"])) / 4
    # round 2: every document the first round annotated once is annotated a second time
    assert set(passes["pass-c"]) == set(passes["pass-a"]) - set(passes["pass-b"])
    for _name, docs in passes.items():
        for doc_id, doc in docs.items():
            assert [p.line() for p in validate_document(doc, doc_id) if p.level == ERROR] == []
            assert doc["text_sha256"] == load(doc_id)["text_sha256"]
            producers = {p["id"] for layer in LAYERS for p in doc["provenance"]["layers"][layer]["producers"]}
            assert len(producers) == 1 and producers <= set(batches)
            assert doc_id in batches[producers.pop()]
            shown = doc["provenance"]["layers"]["mentions"]["producers"][0]["shown"]
            assert len(shown) == 2 and shown[1].startswith("annotation/GUIDELINES.md")
            assert "Label Studio" in doc["provenance"]["layers"]["claims"]["changes"][-1]
    for second in ("pass-b", "pass-c"):
        for doc_id in passes[second]:
            assert dependence(passes["pass-a"][doc_id], passes[second][doc_id]) is None, doc_id


def test_splits_are_the_documented_draw_from_the_corpus():
    """corpus/splits.json is exactly what draw_splits gives for the corpus's ids and years (re-derivable by anyone)."""
    from whosaidwhat.splits import draw_splits, read_splits, source_of

    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((REPO / "corpus" / "documents").glob("*.json"))]
    years = {d["id"]: (d["metadata"]["published"] or "")[:4] for d in docs}
    splits = read_splits(REPO / "corpus" / "splits.json")
    assert splits.members == draw_splits(years)
    assert len(splits.members["test"]) >= 60 and len(splits.members["validation"]) >= 20
    by_id = {d["id"]: d for d in docs}
    for doc_id in splits.members["test"] + splits.members["validation"]:
        meta = by_id[doc_id]["metadata"]
        assert meta["license"]["redistributable"] and meta.get("text_origin") != "detokenized", doc_id
    assert {source_of(i) for i in splits.members["test"]} == {"meantime_raw", "wikinewssum"}
    assert "seed-kremlin-rejects-armenian-pm" in splits.members["train"]


def test_the_new_gold_is_exactly_what_the_campaign_records_produce():
    """Decision files applied to the pulled annotations (and single annotations accepted), then the consistency
    corrections, give corpus/documents byte for byte; the corrections are already in every other document. Round 2
    (a second independent annotation of the documents annotated once) is adjudicated against their corrected gold,
    kept in round-2/gold-before/, which must itself be what the records before round 2 produce."""
    import os

    from whosaidwhat.adjudication.corrections import apply_corrections, read_corrections
    from whosaidwhat.adjudication.decisions import accept_single, gold_document, read_decisions
    from whosaidwhat.core.document import dumps

    campaign = REPO / "annotation" / "campaigns" / "corpus-1.0"
    before_round_2 = campaign / "round-2" / "gold-before"
    round_2 = {p.stem for p in before_round_2.glob("*.json")}
    before = [read_corrections(campaign / name)  # the 1.2 consistency review, the 1.3 review, the 1.4 review, kb links
              for name in ("corrections.json", "corrections-1.3.json", "corrections-1.4.json", "corrections-1.4-kb.json")]
    after = [read_corrections(campaign / name)  # made after round 2, on every document
             for name in ("corrections-1.5.json", "corrections-1.5-lead.json", "corrections-1.6.json",
                          "corrections-1.6-lead.json")]

    def fixed(doc: dict, files: list) -> dict:
        for fixes, per_doc in files:
            doc = apply_corrections(doc, per_doc.get(doc["id"], []), fixes["by"], "corrections", fixes["guidelines_version"])
        return doc

    def corrected(doc: dict) -> dict:
        return fixed(doc, before + after)

    here = os.getcwd()
    os.chdir(REPO)  # decision files name the annotations by repository-relative paths
    try:
        for path in sorted((campaign / "decisions").glob("*.json")):
            data, a, b, conflicts = read_decisions(path)
            gold = gold_document(data, a, b, conflicts)
            # round 2 adjudicates the corrected gold: the corrections before it are in version A
            gold = fixed(gold, after) if path.stem in round_2 else corrected(gold)
            assert dumps(gold) == (CORPUS / "documents" / f"{gold['id']}.json").read_text(encoding="utf-8"), path.name
    finally:
        os.chdir(here)

    def idempotent(files: list, doc_ids: set[str]) -> None:
        """Applying again changes nothing: each file's entries that no later file corrects again."""
        later: set[tuple[str, str, str]] = set()
        final = []
        for fixes, by_doc in reversed(files):
            final.append((fixes, {d: [e for e in es if (d, e["item"], e["field"]) not in later] for d, es in by_doc.items()}))
            later |= {(d, e["item"], e["field"]) for d, es in by_doc.items() for e in es}
        for doc_id in doc_ids:
            doc = load(doc_id)
            assert fixed(doc, list(reversed(final))) == doc, doc_id

    idempotent(before + after, {d for _, by_doc in before + after for d in by_doc} - round_2)
    idempotent(after, {d for _, by_doc in after for d in by_doc} & round_2)
    doubled = {p.stem for p in (CORPUS / "annotations" / "pass-b").glob("*.json")}
    for path in sorted((CORPUS / "annotations" / "pass-a").glob("*.json")):
        if path.stem not in doubled:
            single = accept_single(json.loads(path.read_text(encoding="utf-8")))
            gold, target = ((fixed(single, before), before_round_2 / path.name) if path.stem in round_2 else
                            (corrected(single), CORPUS / "documents" / path.name))
            assert dumps(gold) == target.read_text(encoding="utf-8"), path.name
