"""Benchmark the `rules` baseline: documents per second and peak memory on generated news-length articles.

Each generated article is news-length: a headline, a dateline and 12 body paragraphs of two or
three sentences (about 430 words, 2,500-2,850 characters; the corpus's validation and test
articles average about 2,000 characters), with names, titles, possessives, direct quotes
(interrupted, over two paragraphs, curly and straight marks), indirect quotes and figures. Texts differ per document (seeded choices), so
no cache can answer for a document it has not seen.

Two measurements, each in its own process so that peak RSS (ru_maxrss) is the contender's own:
  * system: `RulesSystem().predict(document)` over every document, on one core (one process,
    one thread) -- the number the target (>= 200 docs/s) is about;
  * cli: `wsw predict --system rules docs.jsonl --out pred.jsonl`, the whole command (reading
    JSONL, checking every line with the scorer's checks, writing atomically).

    python benchmarks/bench_predict.py --docs 2000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

PEOPLE = ["Nikol Pashinyan", "Dmitry Peskov", "Angela Merkel", "Kofi Mensah", "Mei Chen", "Priya Natarajan",
          "John Burrows", "Alan Mulally", "Julie Hahn", "Rick Wagoner", "Ana Gomez", "Tom Brady"]
ORGS = ["Acme Corporation", "General Motors", "the World Bank", "Ford Motor Company", "the Kremlin",
        "the European Commission", "Global Rail Ltd", "the University of Southern Indiana", "NASA", "Reuters"]
PLACES = ["Armenia", "Yerevan", "Detroit", "Brazil", "Berlin", "Ghana", "Seattle", "Tokyo", "the Pacific Northwest"]
TITLES = ["Prime Minister", "spokesman", "Chief Executive", "Governor", "Senator", "analyst"]
CUES = ["said", "told reporters", "added", "argued", "warned", "explained", "noted"]
FACTS = ["sales fell {n} percent in the third quarter", "the plant employs {n} workers in {place}",
         "{org} cut {n} jobs last year", "shares of {org} rose {n} points on Tuesday",
         "about {n} people were evacuated from {place}", "the budget was reduced by {n} million dollars"]
OPINIONS = ["the decision was a mistake", "we will rebuild what was lost", "nobody expected the result",
            "the market will recover", "this is a difficult moment for everyone"]


def article(i: int) -> dict:
    from whosaidwhat.core.document import text_sha256

    rng = random.Random(i)
    person = lambda: rng.choice(PEOPLE)  # noqa: E731
    fact = lambda: rng.choice(FACTS).format(n=rng.randint(2, 9000), org=rng.choice(ORGS),  # noqa: E731
                                             place=rng.choice(PLACES))
    paras = [f"{rng.choice(ORGS).replace('the ', '').capitalize()} reports losses as {rng.choice(PLACES)} market slows",
             f"March {rng.randint(1, 28)}, {rng.randint(2004, 2012)}"]
    for k in range(12):
        kind = k % 4
        who = person()
        if kind == 0:
            paras.append(f"{rng.choice(TITLES).capitalize()} {who} said on Monday that {fact()}. "
                         f"{who.split()[-1]}'s office in {rng.choice(PLACES)} confirmed that {fact()}.")
        elif kind == 1:
            paras.append(f"\u201c{rng.choice(OPINIONS).capitalize()},\u201d {who} said. \u201c{fact().capitalize()}, "
                         f"and {rng.choice(OPINIONS)}.\u201d According to {rng.choice(ORGS)}, {fact()}.")
        elif kind == 2:
            paras.append(f"\"{fact().capitalize()},\" {rng.choice(CUES)} {who}, a {rng.choice(TITLES)} at "
                         f"{rng.choice(ORGS)}. {fact().capitalize()}, he {rng.choice(CUES)}. In {rng.choice(PLACES)}, "
                         f"{fact()}.")
        else:
            paras.append(f"{who} {rng.choice(CUES)}: \"{rng.choice(OPINIONS).capitalize()} and {fact()}.\n\n"
                         f"\"{rng.choice(OPINIONS).capitalize()}.\" Meanwhile {fact()}, while {fact()}.")
    text = "\n\n".join(paras)
    return {"id": f"bench-{i:06d}", "text": text, "text_sha256": text_sha256(text)}


CHILD = r"""
import json, resource, sys, time
mode, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "system":
    from whosaidwhat.systems.rules import RulesSystem
    docs = [json.loads(line) for line in open(path, encoding="utf-8")]
    system = RulesSystem()
    system.predict(docs[0])  # imports and the gazetteer load are not part of the rate
    t0 = time.perf_counter()
    for doc in docs:
        system.predict(doc)
    seconds = time.perf_counter() - t0
    n = len(docs)
else:
    from whosaidwhat.cli import main
    t0 = time.perf_counter()
    code = main(["predict", "--system", "rules", path, "--out", out, "--no-progress"])
    seconds = time.perf_counter() - t0
    n = sum(1 for _ in open(out, encoding="utf-8"))
print(json.dumps({"docs": n, "seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000, help="Number of generated articles.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(args.docs):
                fh.write(json.dumps(article(i), ensure_ascii=False) + "\n")
        sizes = [len(json.loads(line)["text"]) for line in path.open(encoding="utf-8")]
        words = [len(json.loads(line)["text"].split()) for line in path.open(encoding="utf-8")]
        print(f"{args.docs} generated articles: {sum(sizes) / len(sizes):,.0f} characters and "
              f"{sum(words) / len(words):,.0f} words on average (min {min(sizes):,}, max {max(sizes):,} characters)")
        one, five, fifteen = os.getloadavg()
        print(f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min: compare runs made at a like load)")
        for mode in ("system", "cli"):
            out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(Path(tmp) / "pred.jsonl")],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{mode:<7} {r['docs'] / r['seconds']:8.1f} docs/s  ({r['docs']} docs in {r['seconds']:.2f} s, "
                  f"one core)  peak RSS {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
