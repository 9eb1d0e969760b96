"""`wsw train`: build a baseline system's learned parts from the train split of a corpus."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..core.problems import fail

TRAINABLE = ("rules", "trained")


@click.command(name="train")
@click.option("--system", "system_name", required=True, type=click.Choice(TRAINABLE),
              help="rules: rebuild its gazetteer; trained: train the statistical model.")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Corpus folder (documents/, splits.json); only its train split is read. Default: the bundled corpus.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write: the gazetteer file (rules) or the model folder (trained). "
                   "Default: the package's gazetteer / eval/baselines/trained/model.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the training (trained).")
@click.option("--max-documents", type=click.IntRange(min=1), default=None,
              help="Read only the first N train documents (a quick model, e.g. to test the plumbing).")
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Training epochs (trained; default: its own).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def train(system_name, corpus, out, seed, max_documents, epochs, fmt):
    """Train a baseline on the train split only (never validation or test).

    `rules` has no model: this rebuilds its gazetteer (name strings and types, lower-case words)
    from the train split. `trained` learns, with a fixed seed on one CPU core (numpy only, nothing
    downloaded), a name typer over the rules' candidate names (cross-fitted gazetteer features),
    a check-worthiness classifier and a speaker chooser. The output is written atomically; the
    model's SHA-256 (a digest of every file of the folder) is printed.

    \b
    Examples:
      wsw train --system rules
      wsw train --system trained --corpus corpus --out eval/baselines/trained/model
      wsw train --system trained --max-documents 3 --epochs 2 --out /tmp/tiny-model
    """
    from ..core.resources import default_corpus_dir

    corpus = corpus or default_corpus_dir()
    if not (corpus / "documents").is_dir() or not (corpus / "splits.json").is_file():
        fail("PATH-MISSING", "--corpus: not a corpus folder", file=str(corpus), expected="documents/ and splits.json")
    if system_name == "rules":
        from ..systems.rules import RulesSystem

        result = RulesSystem.train(corpus, out, max_documents=max_documents)
    else:
        from ..systems.trained import train_model

        result = train_model(corpus, out, seed=seed, max_documents=max_documents, epochs=epochs)
    if fmt == "json":
        click.echo(json.dumps(result, indent=1))
    else:
        for key, value in result.items():
            click.echo(f"{key}: {value}")
