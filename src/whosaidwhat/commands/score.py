"""`wsw score` and `wsw compare`: thin commands over whosaidwhat.scoring."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..core.atomic import write_text
from ..core.errors import UsageError, UserError
from ..core.resources import default_corpus_dir
from ..engine import choose_engine, engine_options
from ..scoring.settings import DEFAULT_SEED, ScoreSettings

_KINDS_HELP = "Mention kinds the entity track scores: comma-separated from name, nominal, pronoun, or 'all'."


def _settings(split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence) -> ScoreSettings:
    from ..core.inventory import load_inventory

    inventory = load_inventory()
    kinds = inventory.mention_kinds if mention_kinds.strip() == "all" else tuple(
        k.strip() for k in mention_kinds.split(",") if k.strip())
    unknown = [k for k in kinds if k not in inventory.mention_kinds]
    if unknown or not kinds:
        raise UsageError(f"--mention-kinds: unknown kind(s) {', '.join(unknown) or '(none given)'}; "
                         f"expected 'all' or a comma-separated list of {', '.join(inventory.mention_kinds)}")
    return ScoreSettings(split=split, mention_kinds=tuple(kinds), entity_overlap=entity_overlap,
                         span_overlap=span_overlap, resamples=resamples, seed=seed, confidence=confidence)


def _common_options(func):
    options = [
        click.option("--gold", type=click.Path(path_type=Path), default=None,
                     help="Gold data: a corpus folder (documents/, splits.json) or a release folder "
                          "(data/documents/*.parquet, texts may be withheld). Default: the bundled corpus."),
        click.option("--split", default="test", show_default=True, help="Gold split to score on."),
        click.option("--mention-kinds", default="name", show_default=True, help=_KINDS_HELP),
        click.option("--entity-overlap", type=click.FloatRange(0, 1), default=0.0, show_default=True,
                     help="Minimum overlap ratio (IoU) for entity, cue and speaker matching; 0 = any shared code point."),
        click.option("--span-overlap", type=click.FloatRange(0, 1), default=0.5, show_default=True,
                     help="Minimum overlap ratio (IoU) of quote and claim contents for a match."),
        click.option("--resamples", type=click.IntRange(min=0), default=1000, show_default=True,
                     help="Bootstrap resamples (and randomization rounds for compare); 0 turns intervals off."),
        click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the resampling."),
        click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
                     show_default=True, help="Confidence level of the intervals."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                     help="text: tables for people; json: the full result with its provenance."),
        click.option("--out", type=click.Path(path_type=Path), default=None,
                     help="Also write the JSON result to this file (atomically)."),
        click.option("--max-errors", type=click.IntRange(min=1), default=50, show_default=True,
                     help="Report at most this many problems of a bad submission."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _report_problems(error) -> None:
    for problem in error.problems:
        click.echo(f"wsw: error: {problem.line()}", err=True)
    if error.total > len(error.problems):
        click.echo(f"wsw: error: ... and {error.total - len(error.problems)} more problem(s); nothing was scored", err=True)
    click.get_current_context().exit(1)


def _gold_path(gold: Path | None) -> Path:
    path = gold if gold is not None else default_corpus_dir()
    if not path.exists():
        raise UsageError(f"--gold: no such folder: {path}")
    return path


def _check_outputs(inputs: dict[str, Path], outputs: dict[str, Path | None]) -> None:
    """Refuse, before any scoring, output paths that cannot be written as files or would overwrite an input."""
    seen: dict[Path, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        if path.is_dir():
            raise UsageError(f"{option} {path}: is a folder; give the name of a file to write")
        for parent in path.parents:  # the nearest existing ancestor must be a folder
            if parent.exists():
                if not parent.is_dir():
                    raise UsageError(f"{option} {path}: {parent} is a file, not a folder")
                break
        resolved = path.resolve()
        for name, source in inputs.items():
            if source.exists() and resolved == source.resolve():
                raise UsageError(f"{option} {path}: is the {name} file; writing there would destroy it")
        if resolved in seen:
            raise UsageError(f"{option} {path}: is also the {seen[resolved]} file; give two different files")
        seen[resolved] = option


def _write(option: str, path: Path, write) -> None:
    try:
        write(path)
    except OSError as exc:  # permissions, a full disk, a path that changed under us
        raise UserError(f"{option} {path}: cannot be written ({exc.strerror or exc})") from None


def _emit(result: dict, fmt: str, out: Path | None, text: str) -> None:
    document = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if out is not None:
        _write("--out", out, lambda path: write_text(path, document))
    click.echo(document if fmt == "json" else text, nl=False)


@click.command(name="score")
@click.option("--pred", required=True, type=click.Path(path_type=Path),
              help="The submission: JSONL (one document per line) or Parquet; see eval/submissions/README.md.")
@_common_options
@click.option("--per-doc", type=click.Path(path_type=Path), default=None,
              help="Write the per-document counts as Parquet (one row per gold document, mergeable).")
@engine_options
def score(pred, gold, split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence, fmt, out,
          max_errors, per_doc, engine, scheduler, workers):
    """Score a system's predictions against gold data, with bootstrap confidence intervals.

    Entities are scored in nervaluate's four schemes (strict, exact, partial, ent_type) with
    one-to-one, order-independent matching; quotes and claims by content, source attribution,
    type, check-worthiness and quote link. Every definition: eval/METRICS.md.

    A bad submission gets one line per problem (file:line, document id, field, expected) and
    exit status 1; nothing is scored. Exit status 0 means the result was printed.

    \b
    Examples:
      wsw score --pred eval/submissions/example/pred.jsonl --gold eval/submissions/example/gold
      wsw score --gold corpus --pred system.jsonl --split validation --format json --out result.json
      wsw score --gold release-0.1.0 --pred system.parquet --mention-kinds all --per-doc counts.parquet
      wsw score --gold silver-release --pred big.jsonl --engine dask --scheduler tcp://10.0.0.5:8786

    With --engine dask the submission is checked and counted in shards (line ranges of a JSONL
    file, row groups of a Parquet file) on a Dask cluster; the per-document counts are merged and
    resampled here, so every number, the bootstrap intervals included, is the local engine's.
    """
    from ..core.inventory import load_inventory
    from ..scoring import SubmissionError, format_text, load_gold, open_gold, read_submission, score_layers

    choice = choose_engine(engine, scheduler, workers)
    settings = _settings(split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence)
    if pred.is_dir():
        raise UsageError(f"--pred {pred}: is a folder; give the submission file (.jsonl or .parquet)")
    _check_outputs({"--pred": pred}, {"--out": out, "--per-doc": per_doc})
    inventory = load_inventory()
    if not choice.local:
        import sys

        from ..engine.score import score_on_dask

        try:
            result, counts = score_on_dask(choice, _gold_path(gold), pred, settings, inventory, max_errors,
                                           sys.stderr.isatty())
        except FileNotFoundError:
            raise UsageError(f"--pred: no such file: {pred}") from None
        except SubmissionError as error:
            _report_problems(error)
            return
    else:
        gold_set = load_gold(open_gold(_gold_path(gold)), settings.split, inventory)
        try:
            layers, info = read_submission(pred, gold_set, inventory, max_errors)
        except FileNotFoundError:
            raise UsageError(f"--pred: no such file: {pred}") from None
        except SubmissionError as error:
            _report_problems(error)
            return
        result, counts = score_layers(gold_set, layers, info, settings, inventory)
    if per_doc is not None:
        record = {"whosaidwhat_score": json.dumps({k: result[k] for k in ("scorer", "gold", "submission", "settings")})}
        _write("--per-doc", per_doc, lambda path: counts.write_parquet(path, record))
    _emit(result, fmt, out, format_text(result))


@click.command(name="compare")
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@_common_options
@click.option("--metric", "metrics", multiple=True,
              help="Metric to test (repeatable), e.g. entities.strict.f1, quotes.attributed.f1; 'all' for every "
                   "overall metric. Default: the headline metrics.")
@click.option("--method", type=click.Choice(["both", "bootstrap", "randomization"]), default="both", show_default=True,
              help="Paired bootstrap, approximate randomization, or both.")
def compare(a, b, gold, split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence, fmt, out,
            max_errors, metrics, method):
    """Test whether two systems differ significantly on the same gold split.

    Both submissions are scored per document; the paired bootstrap resamples documents for both
    systems at once and reports the difference A - B with its interval, and approximate
    randomization swaps the systems' outputs per document. p-values are two-sided.

    \b
    Examples:
      wsw compare system-a.jsonl system-b.jsonl --gold corpus
      wsw compare a.jsonl b.jsonl --gold release-0.1.0 --metric quotes.attributed.f1 --method randomization
    """
    from ..core.inventory import load_inventory
    from ..scoring import SubmissionError, compare_submissions
    from ..scoring.compare import metric_names
    from ..scoring.metrics import HEADLINE

    settings = _settings(split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence)
    if settings.resamples == 0:
        raise UsageError("--resamples must be at least 1 for a significance test")
    inventory = load_inventory()
    known = metric_names(inventory)
    if "all" in metrics:
        chosen = [m for m in known if not any(f".{t}." in m for t in inventory.entity_types)]
    else:
        chosen = list(metrics) or list(HEADLINE)
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise UsageError(f"--metric: unknown metric(s) {', '.join(unknown)}; e.g. {', '.join(HEADLINE)}")
    methods = ("bootstrap", "randomization") if method == "both" else (method,)
    for path in (a, b):
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
    _check_outputs({"A": a, "B": b}, {"--out": out})
    try:
        result = compare_submissions(_gold_path(gold), a, b, settings, chosen, methods, inventory, max_errors)
    except SubmissionError as error:
        _report_problems(error)
        return
    if result["a"]["sha256"] == result["b"]["sha256"]:
        click.echo("wsw: note: the two submissions are identical files", err=True)
    _emit(result, fmt, out, _compare_text(result))


def _fmt(x, signed: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x:+.4f}" if signed else f"{x:.4f}"


def _compare_text(result: dict) -> str:
    g, st = result["gold"], result["settings"]
    lines = [f"gold: {g['kind']} {g['path']} (version {g['version'] or 'unknown'}), split {g['split']}, "
             f"{g['documents']} documents, content sha256 {g['content_sha256'][:16]}",
             f"A: {result['a']['path']} (sha256 {result['a']['sha256'][:16]})",
             f"B: {result['b']['path']} (sha256 {result['b']['sha256'][:16]})",
             f"{st['resamples']} resamples/rounds, seed {st['seed']}; two-sided p-values; "
             f"delta interval: {st['confidence']:.0%} paired bootstrap", "",
             f"{'metric':<34}{'A':>8}{'B':>8}{'A-B':>9}  {'interval of A-B':<20}{'p boot':>8}{'p rand':>8}"]
    for name, t in result["tests"].items():
        interval = "n/a" if t["delta_low"] is None else f"[{t['delta_low']:+.4f}, {t['delta_high']:+.4f}]"
        lines.append(f"{name:<34}{_fmt(t['a']):>8}{_fmt(t['b']):>8}{_fmt(t['delta'], True):>9}  {interval:<20}"
                     f"{_fmt(t['p_bootstrap']):>8}{_fmt(t['p_randomization']):>8}")
    return "\n".join(lines) + "\n"

