"""`wsw score` and `wsw compare`: thin commands over whosaidwhat.scoring."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from ..core.atomic import write_text
from ..core.paths import overlap
from ..core.problems import ProblemError, fail
from ..core.resources import default_corpus_dir
from ..engine import choose_engine, engine_options
from ..scoring.settings import DEFAULT_SEED, ScoreSettings

_KINDS_HELP = "Mention kinds the entity track scores: comma-separated from name, nominal, pronoun, or 'all'."


def _settings(split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence) -> ScoreSettings:
    from ..core.inventory import load_inventory

    inventory = load_inventory()
    kinds = inventory.mention_kinds if mention_kinds.strip() == "all" else tuple(
        k.strip() for k in mention_kinds.split(",") if k.strip())
    for option, value in (("--entity-overlap", entity_overlap), ("--span-overlap", span_overlap),
                          ("--confidence", confidence)):
        if not math.isfinite(value):  # click's FloatRange lets nan through (every comparison with nan is false)
            fail("OPTION-INVALID", f"{option}: not a number", found=str(value), expected="a number such as 0.5")
    unknown = [k for k in kinds if k not in inventory.mention_kinds]
    if unknown or not kinds:
        fail("OPTION-INVALID", "--mention-kinds: unknown kind(s)", found=", ".join(unknown) or "(none given)",
             expected="'all' or a comma-separated list of " + ", ".join(inventory.mention_kinds))
    return ScoreSettings(split=split, mention_kinds=tuple(kinds), entity_overlap=entity_overlap,
                         span_overlap=span_overlap, resamples=resamples, seed=seed, confidence=confidence)


def _common_options(func):
    options = [
        click.option("--gold", type=click.Path(), default=None,
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
        click.option("--out", type=click.Path(), default=None,
                     help="Also write the JSON result to this file (atomically)."),
        click.option("--max-errors", type=click.IntRange(min=1), default=50, show_default=True,
                     help="Report at most this many problems of a bad submission."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _report_problems(error) -> None:
    """Every problem of a refused submission or gold, one line each; nothing was scored."""
    for problem in error.problems:
        click.echo(f"wsw: error: {problem.line()}", err=True)
    if error.total > len(error.problems):
        click.echo(f"wsw: error: ... and {error.total - len(error.problems)} more problem(s); nothing was scored", err=True)
    click.get_current_context().exit(getattr(error, "exit_code", 1))


def _local(path, option: str):
    """A path option as a local path: `file://` URLs decoded, other URLs refused (ENGINE-URL); None stays None."""
    from ..engine import local_path

    return None if path is None else local_path(path, option)


def _gold_path(gold: Path | None) -> Path:
    path = gold if gold is not None else default_corpus_dir()
    if not path.exists():
        fail("PATH-MISSING", "--gold: no such folder", file=str(path))
    return path


def _check_output(option: str, path: Path, inputs: dict[str, Path]) -> None:
    """One output: a file to write (PATH-MISSING), not over or inside an input (OUT-OVERLAPS-INPUT)."""
    if path.is_dir():
        fail("PATH-MISSING", f"{option}: is a folder; give the name of a file to write", file=str(path),
             expected="a file name")
    for parent in path.parents:  # the nearest existing ancestor must be a folder
        if parent.exists():
            if not parent.is_dir():
                fail("PATH-MISSING", f"{option}: {parent} is a file, not a folder", file=str(path))
            break
    for name, source in inputs.items():
        how = overlap(path, source) if source.exists() else None
        if how is not None:
            fail("OUT-OVERLAPS-INPUT", f"{option} {how} the {name} input {source}; writing there would destroy it",
                 file=str(path))


def _check_outputs(inputs: dict[str, Path], outputs: dict[str, Path | None]) -> None:
    """Refuse, before any scoring, output paths that cannot be written as files or would overwrite an input."""
    seen: dict[Path, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        try:
            _check_output(option, path, inputs)
        except OSError as exc:  # a name too long, a loop of links: it could not be written either
            fail("SCORE-OUT-WRITE", f"{option}: cannot be written ({exc.strerror or exc})", file=str(path))
        resolved = path.resolve()
        if resolved in seen:
            fail("OPTION-INVALID", f"{option} is also the {seen[resolved]} file; give two different files",
                 file=str(path))
        seen[resolved] = option


def _write(option: str, path: Path, write) -> None:
    try:
        write(path)
    except OSError as exc:  # permissions, a full disk, a path that changed under us
        fail("SCORE-OUT-WRITE", f"{option}: cannot be written ({exc.strerror or exc})", file=str(path))


def _emit(result: dict, fmt: str, out: Path | None, text: str) -> None:
    document = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if out is not None:
        _write("--out", out, lambda path: write_text(path, document))
    click.echo(document if fmt == "json" else text, nl=False)


@click.command(name="score")
@click.option("--pred", required=True, type=click.Path(),
              help="The submission: JSONL (one document per line) or Parquet; see eval/submissions/README.md.")
@_common_options
@click.option("--per-doc", type=click.Path(), default=None,
              help="Write the per-document counts as Parquet (one row per gold document, mergeable).")
@click.option("--allow-empty", is_flag=True, default=False,
              help="Score a submission that predicts no document of the split (every metric 0) instead of refusing it.")
@engine_options
def score(pred, gold, split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence, fmt, out,
          max_errors, per_doc, allow_empty, engine, scheduler, workers):
    """Score a system's predictions against gold data, with bootstrap confidence intervals.

    Entities are scored in nervaluate's four schemes (strict, exact, partial, ent_type) with
    one-to-one, order-independent matching; quotes and claims by content, source attribution,
    type, check-worthiness and quote link. Every definition: eval/METRICS.md.

    A bad submission, or gold that breaks a document rule, gets one line per problem (file:line,
    document id, field, rule, expected) and exit status 1; nothing is scored. A submission that
    predicts no document of the split is refused (SUB-EMPTY) unless --allow-empty is given.
    Exit status 0 means the result was printed.

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
    from ..scoring import SubmissionError, format_text

    choice = choose_engine(engine, scheduler, workers)
    settings = _settings(split, mention_kinds, entity_overlap, span_overlap, resamples, seed, confidence)
    pred, gold, out, per_doc = _local(pred, "--pred"), _local(gold, "--gold"), _local(out, "--out"), _local(per_doc, "--per-doc")
    if pred.is_dir():
        fail("PATH-MISSING", "--pred: is a folder; give the submission file (.jsonl or .parquet)", file=str(pred))
    gold_path = _gold_path(gold)
    _check_outputs({"--pred": pred, "--gold": gold_path}, {"--out": out, "--per-doc": per_doc})
    inventory = load_inventory()
    try:
        if choice.local:
            result, counts = _score_here(gold_path, pred, settings, inventory, max_errors, allow_empty)
        else:
            result, counts = _score_on_dask(choice, gold_path, pred, settings, inventory, max_errors)
    except FileNotFoundError:
        fail("PATH-MISSING", "--pred: no such file", file=str(pred))
    except (SubmissionError, ProblemError) as error:
        _report_problems(error)
        return
    _refuse_empty(result, pred, allow_empty)
    if per_doc is not None:
        record = {"whosaidwhat_score": json.dumps({k: result[k] for k in ("scorer", "gold", "submission", "settings")})}
        _write("--per-doc", per_doc, lambda path: counts.write_parquet(path, record))
    _emit(result, fmt, out, format_text(result))


def _refuse_empty(result: dict, pred: Path, allow_empty: bool) -> None:
    """SUB-EMPTY unless --allow-empty: a submission predicting no document of the split is almost always a mistake."""
    submission = result.get("submission") or {}
    if submission.get("empty") and not allow_empty:
        fail("SUB-EMPTY", f"the submission predicts no document of split {result['gold']['split']!r}; nothing was "
                          "written (give --allow-empty to score it)", file=str(pred),
             found=f"{submission.get('lines', 0)} line(s), 0 document(s) of the split")


def _score_here(gold_path: Path, pred: Path, settings: ScoreSettings, inventory, max_errors: int, allow_empty: bool):
    from ..scoring import count_table, load_gold, open_gold, read_submission, score_counts
    from ..scoring.engine import submission_record
    from .memory import release_free_memory

    # between the stages, freed buffers go back to the system so each stage starts from what is really held
    gold_set = load_gold(open_gold(gold_path), settings.split, inventory)
    release_free_memory()
    layers, info = read_submission(pred, gold_set, inventory, max_errors)
    release_free_memory()
    if info.empty and not allow_empty:  # refused before the (pointless) scoring
        _refuse_empty({"submission": submission_record(info), "gold": {"split": settings.split}}, pred, False)
    counts = count_table(gold_set, layers, settings, inventory)
    del layers
    release_free_memory()
    return score_counts(gold_set, counts, info, settings, inventory), counts


def _score_on_dask(choice, gold_path: Path, pred: Path, settings: ScoreSettings, inventory, max_errors: int):
    import sys

    from ..engine.score import score_on_dask

    return score_on_dask(choice, gold_path, pred, settings, inventory, max_errors, sys.stderr.isatty())


@click.command(name="compare")
@click.argument("a", type=click.Path())
@click.argument("b", type=click.Path())
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
        fail("OPTION-INVALID", "--resamples must be at least 1 for a significance test", found="0", expected=">= 1")
    inventory = load_inventory()
    known = metric_names(inventory)
    if "all" in metrics:
        chosen = [m for m in known if not any(f".{t}." in m for t in inventory.entity_types)]
    else:
        chosen = list(metrics) or list(HEADLINE)
    unknown = [m for m in chosen if m not in known]
    if unknown:
        fail("OPTION-INVALID", "--metric: unknown metric(s)", found=", ".join(unknown), expected="e.g. " + ", ".join(HEADLINE))
    methods = ("bootstrap", "randomization") if method == "both" else (method,)
    a, b, gold, out = _local(a, "A"), _local(b, "B"), _local(gold, "--gold"), _local(out, "--out")
    for path in (a, b):
        if not path.is_file():
            fail("PATH-MISSING", "no such file", file=str(path))
    gold_path = _gold_path(gold)
    _check_outputs({"A": a, "B": b, "--gold": gold_path}, {"--out": out})
    try:
        result = compare_submissions(gold_path, a, b, settings, chosen, methods, inventory, max_errors)
    except (SubmissionError, ProblemError) as error:
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

