"""The published sources a document's text or annotations come from, and how to cite them.

Which sources a release builds on is read from the documents (`provenance.source`, `metadata`),
never typed per release: the card's `source_datasets`, its citations and the Croissant
`citeAs` list exactly the sources of the documents it contains. The bibliographic records
themselves are facts about those publications, kept here once.
"""

from __future__ import annotations

#: key -> what the card and Croissant say about a source. `tag` is the Hub's `source_datasets` value
#: (`extended|other-<name>` for sources that are not Hub datasets).
SOURCES: dict[str, dict] = {
    "gum": {
        "name": "GUM, the Georgetown University Multilayer corpus (V11.1.0)",
        "tag": "extended|other-gum",
        "url": "https://gucorpling.org/gum/",
        "what": "the texts of the GUM news documents, and the entity, coreference and attribution annotations they "
                "were converted from",
        "cite": "Zeldes (2017)",
        "bibtex": "@article{zeldes2017gum,\n"
                  "  author = {Amir Zeldes},\n"
                  "  title = {The {GUM} Corpus: Creating Multilayer Resources in the Classroom},\n"
                  "  journal = {Language Resources and Evaluation},\n"
                  "  year = {2017},\n"
                  "  volume = {51},\n"
                  "  number = {3},\n"
                  "  pages = {581--612},\n"
                  "  doi = {10.1007/s10579-016-9343-x}\n"
                  "}",
    },
    "wikigum": {
        "name": "WikiGUM, GUM's entity linking (Wikification)",
        "tag": None,  # part of GUM: one source dataset, two papers to cite
        "url": "https://aclanthology.org/2021.law-1.18",
        "what": "the Wikipedia links (`kb_id`) and the entity names of the GUM news documents",
        "cite": "Lin and Zeldes (2021)",
        "bibtex": "@inproceedings{lin-zeldes-2021-wikigum,\n"
                  "  author = {Jessica Lin and Amir Zeldes},\n"
                  "  title = {{W}iki{GUM}: Exhaustive Entity Linking for Wikification in 12 Genres},\n"
                  "  booktitle = {Proceedings of The Joint 15th Linguistic Annotation Workshop (LAW) and 3rd Designing "
                  "Meaning Representations (DMR) Workshop (LAW-DMR 2021)},\n"
                  "  year = {2021},\n"
                  "  address = {Punta Cana, Dominican Republic},\n"
                  "  pages = {170--175},\n"
                  "  url = {https://aclanthology.org/2021.law-1.18}\n"
                  "}",
    },
    "meantime": {
        "name": "MEANTIME, the NewsReader Multilingual Event and Time Corpus",
        "tag": "extended|other-meantime",
        "url": "https://aclanthology.org/L16-1699/",
        "what": "the texts of the MEANTIME documents (no MEANTIME annotation is used)",
        "cite": "Minard et al. (2016)",
        "bibtex": "@inproceedings{minard-etal-2016-meantime,\n"
                  "  author = {Anne-Lyse Minard and Manuela Speranza and Ruben Urizar and Bego{\\~n}a Altuna and "
                  "Marieke van Erp and Anneleen Schoen and Chantal van Son},\n"
                  "  title = {{MEANTIME}, the {NewsReader} Multilingual Event and Time Corpus},\n"
                  "  booktitle = {Proceedings of the Tenth International Conference on Language Resources and "
                  "Evaluation (LREC 2016)},\n"
                  "  year = {2016},\n"
                  "  pages = {4417--4422},\n"
                  "  url = {https://aclanthology.org/L16-1699/}\n"
                  "}",
    },
    "semeval2015": {
        "name": "SemEval-2015 Task 4 (TimeLine) data, MEANTIME subset (tokens)",
        "tag": "extended|other-semeval-2015-task-4",
        "url": "https://alt.qcri.org/semeval2015/task4/",
        "what": "the MEANTIME sub-corpora as released for the task; the detokenized texts are rebuilt from its tokens",
        "cite": "Minard et al. (2015)",
        "bibtex": "@inproceedings{minard-etal-2015-semeval,\n"
                  "  author = {Anne-Lyse Minard and Manuela Speranza and Eneko Agirre and Itziar Aldabe and "
                  "Marieke van Erp and Bernardo Magnini and German Rigau and Rub{\\'e}n Urizar},\n"
                  "  title = {{SemEval}-2015 Task 4: {TimeLine}: Cross-Document Event Ordering},\n"
                  "  booktitle = {Proceedings of the 9th International Workshop on Semantic Evaluation (SemEval 2015)},\n"
                  "  year = {2015},\n"
                  "  address = {Denver, Colorado}\n"
                  "}",
    },
    "wikinewssum": {
        "name": "WikinewsSum (build data)",
        "tag": "extended|other-wikinewssum",
        "url": "https://aclanthology.org/2022.lrec-1.175",
        "what": "the wikitext of the 2004-2005 Wikinews articles, rendered to plain text (no WikinewsSum summary is used)",
        "cite": "Calizzano et al. (2022)",
        "bibtex": "@inproceedings{calizzano-etal-2022-generating,\n"
                  "  author = {R{\\'e}mi Calizzano and Malte Ostendorff and Qian Ruan and Georg Rehm},\n"
                  "  title = {Generating Extended and Multilingual Summaries with Pre-trained Transformers},\n"
                  "  booktitle = {Proceedings of the Thirteenth Language Resources and Evaluation Conference "
                  "(LREC 2022)},\n"
                  "  year = {2022},\n"
                  "  address = {Marseille, France},\n"
                  "  url = {https://aclanthology.org/2022.lrec-1.175}\n"
                  "}",
    },
    "wikinews": {
        "name": "Wikinews",
        "tag": "extended|other-wikinews",
        "url": "https://en.wikinews.org",
        "what": "the articles themselves, written by Wikinews contributors (each document's `metadata.url` and "
                "`metadata.license.attribution`)",
        "cite": "Wikinews",
        "bibtex": "@misc{wikinews,\n"
                  "  author = {{Wikinews contributors}},\n"
                  "  title = {Wikinews, the free news source},\n"
                  "  howpublished = {\\url{https://en.wikinews.org}},\n"
                  "  note = {Individual article URLs in each document's metadata.url}\n"
                  "}",
    },
}


def sources_of(doc: dict) -> list[str]:
    """Keys of SOURCES a document's text or annotations come from, read from its provenance and metadata."""
    source = doc["provenance"]["source"]
    meta = doc["metadata"]
    origin = " ".join(str(source.get(k) or "") for k in ("derived_from", "importer", "raw_file"))
    found = []
    if str(source.get("derived_from") or "").startswith("GUM ") or str(source.get("importer") or "").startswith(
            "whosaidwhat-gum-importer"):
        found.append("gum")
        if any(e.get("kb_id") for e in doc["entities"]):
            found.append("wikigum")
    if "MEANTIME" in origin:
        found.append("meantime")
    if "semeval" in origin.lower():
        found.append("semeval2015")
    if "WikinewsSum" in origin:
        found.append("wikinewssum")
    if meta.get("outlet") == "Wikinews" or "wikinews.org/" in str(meta.get("url") or ""):
        found.append("wikinews")
    return found


def source_datasets(found: dict[str, int]) -> list[str]:
    """The card's `source_datasets`: `original` (the annotations are this dataset's own) and each source used."""
    return ["original"] + [SOURCES[key]["tag"] for key in SOURCES if found.get(key) and SOURCES[key]["tag"]]
