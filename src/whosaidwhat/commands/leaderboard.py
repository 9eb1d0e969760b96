"""`wsw leaderboard build` and `wsw leaderboard codabench`: thin commands over whosaidwhat.leaderboard."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import click

from ..core.problems import fail
from ..core.resources import default_corpus_dir
from ..scoring.settings import DEFAULT_SEED


@click.group(name="leaderboard")
def leaderboard_group():
    """Rank submissions into a static leaderboard site, or build a Codabench competition bundle.

    A submission is a folder eval/submissions/<system-id>/ holding a card.json
    (schema/system-card.schema.json) and the system's predictions (JSONL or Parquet, the
    `wsw score` format); eval/baselines/<system>/ folders are the same.

    \b
    Examples:
      wsw leaderboard build eval/submissions eval/baselines --gold corpus --out site/
      wsw leaderboard codabench --gold corpus --out whosaidwhat-codabench.zip
    """


def _echo_log(kind: str, message: str) -> None:
    prefix = {"refused": "wsw: refused", "skipped": "wsw: skipped", "warning": "wsw: warning:",
              "scored": "wsw: scored", "cached": "wsw: cached"}[kind]
    click.echo(f"{prefix} {message}", err=True)


@leaderboard_group.command(name="build")
@click.argument("submissions", nargs=-1, type=click.Path(path_type=Path))
@click.option("--gold", type=click.Path(path_type=Path), default=None,
              help="Gold data: a corpus folder or a release folder. Default: the bundled corpus.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the site into (new, or a previous leaderboard site: its files are replaced).")
@click.option("--split", default="test", show_default=True, help="Gold split to rank on.")
@click.option("--resamples", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Bootstrap resamples for the intervals and rounds of the paired tests.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the resampling.")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05, show_default=True,
              help="Family-wise significance level of the tie groups (after the Holm correction).")
@click.option("--test", "test", type=click.Choice(["randomization", "bootstrap"]), default="randomization",
              show_default=True, help="Paired test of `wsw compare` that decides the tie groups.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Score cache folder. Default: beside OUT (.site-cache/ for site/), never inside the published site.")
@click.option("--strict-cards", is_flag=True,
              help="Refuse cards that lack a recommended field (team, url, training_data, saw_test_texts, date).")
@click.option("--hide-errors", is_flag=True,
              help="Do not publish the missed/spurious/misattributed items (they reveal gold annotations of the split).")
@click.option("--no-copy-predictions", is_flag=True, help="Do not copy each scored predictions file into OUT/predictions/.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any submission was refused.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary on standard output: text, or a JSON build report.")
def build(submissions, gold, out, split, resamples, seed, alpha, test, cache_dir, strict_cards, hide_errors,
          no_copy_predictions, strict, fmt):
    """Score every submission, rank each track with intervals and tie groups, and write a static site.

    SUBMISSIONS are folders of system folders (eval/submissions) or system folders. Each system
    is scored with `wsw score` on the gold split; scores are cached by (submission SHA-256, gold
    checksum, scorer version, settings), so a rebuild scores only what changed. Per track
    (entities, quotes, claims) systems are ranked by the headline F1, and each is tested against
    the system above it with `wsw compare`'s paired test, Holm-corrected: a significant
    difference starts a new tie group.

    OUT receives leaderboard.json (schema/leaderboard.schema.json), leaderboard.md, index.html,
    systems/<id>.html (card, per-type scores, missed and spurious quotes and claims) and
    systems/<id>.score.json. The pages are self-contained (no request leaves them) and carry a
    Content-Security-Policy.

    Submissions are untrusted: a bad card, file name or predictions file refuses that system
    alone, with one line saying why (standard error, index.html, leaderboard.json); the others
    are still ranked. Exit status 0 when the site was written (1 with --strict if any was refused).

    \b
    Examples:
      wsw leaderboard build eval/submissions eval/baselines --gold corpus --out site/
      wsw leaderboard build eval/submissions --gold release-0.1.0 --split validation --out site-dev/
      wsw leaderboard build submissions/ --out public/ --hide-errors --strict-cards --strict
    """
    from ..leaderboard import build_leaderboard
    from ..scoring.settings import ScoreSettings

    if not submissions:
        fail("LB-NO-SUBMISSIONS", "give at least one SUBMISSIONS folder, e.g. eval/submissions eval/baselines")
    gold_path = gold if gold is not None else default_corpus_dir()
    if not gold_path.exists():
        fail("PATH-MISSING", "--gold: no such folder", file=str(gold_path))
    settings = ScoreSettings(split=split, resamples=resamples, seed=seed)
    report = build_leaderboard(list(submissions), gold_path, out, settings, alpha=alpha, test=test, cache_dir=cache_dir,
                               strict_cards=strict_cards, show_errors=not hide_errors,
                               copy_predictions=not no_copy_predictions, log=_echo_log)
    lb = report.leaderboard
    if fmt == "json":
        click.echo(json.dumps({"out": str(out), "ranked": [s["id"] for s in lb["systems"]], "scored": report.scored,
                               "cached": report.cached, "refused": report.refused, "skipped": report.skipped,
                               "seconds": round(report.seconds, 3)}, indent=1, ensure_ascii=False))
    else:
        click.echo(f"leaderboard: {len(lb['systems'])} system(s) scored, {len(report.refused)} refused, "
                   f"{len(report.skipped)} folder(s) skipped; scored {len(report.scored)}, from cache "
                   f"{len(report.cached)} ({report.cache}); {report.seconds:.1f} s -> {out / 'index.html'}")
        for track in lb["tracks"].values():
            top = track["rows"][0] if track["rows"] else None
            best = (f"top: {top['system']} {top['score']['value']:.4f} (tie group 1: "
                    f"{sum(1 for r in track['rows'] if r['tie_group'] == 1)} system(s))" if top else "no system")
            click.echo(f"  {track['key']:<9} {len(track['rows'])} ranked; {best}")
    if strict and report.refused:
        click.get_current_context().exit(1)


@leaderboard_group.command(name="codabench")
@click.option("--gold", type=click.Path(path_type=Path), default=None,
              help="Gold data: a corpus folder with validation and test splits. Default: the bundled corpus.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The bundle zip to write.")
@click.option("--title", default="WhoSaidWhat: who said what in the news", show_default=True, help="Competition title.")
@click.option("--docker-image", default=None,
              help="Docker image the competition runs in (Python >= 3.10 with docker/requirements.txt). "
                   "Default: whosaidwhat/codabench-scorer:<version>, built from the bundle's docker/Dockerfile.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Start of the development phase (YYYY-MM-DD). Default: today.")
@click.option("--dev-days", type=click.IntRange(min=1), default=182, show_default=True,
              help="Length of the development phase; the test phase starts when it ends and never ends.")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Predictions file (validation and test documents) for the starting kit. Default: run --baseline-system.")
@click.option("--baseline-system", default="rules", show_default=True,
              help="Installed system (`wsw predict --list`) that makes the starting kit's baseline submission.")
@click.option("--no-check", is_flag=True, help="Do not run the scoring program on the baseline before writing.")
def codabench(gold, out, title, docker_image, start, dev_days, baseline, baseline_system, no_check):
    """Write a Codabench competition bundle (competition.yaml version 2) of the benchmark.

    Development phase = the validation split, test phase = the test split (hidden gold). The
    scoring program runs `wsw score` on input/ref and input/res and writes output/scores.json
    (keys = the leaderboard columns) and detailed_results.html; a broken submission fails with
    `wsw score`'s problem lines. The bundle holds the reference data, the input texts, a starting
    kit with a baseline submission, and docker/Dockerfile of the image it names. Before the zip
    is written, the scoring program is run on the baseline for both phases as Codabench would.

    \b
    Examples:
      wsw leaderboard codabench --gold corpus --out whosaidwhat-codabench.zip
      wsw leaderboard codabench --gold corpus --out bundle.zip --docker-image myorg/wsw-scorer:0.1.0 --start 2026-09-01
      wsw leaderboard codabench --gold corpus --out bundle.zip --baseline eval/baselines/rules/predictions.jsonl
    """
    from ..leaderboard.codabench import DEFAULT_IMAGE, build_codabench_bundle

    gold_path = gold if gold is not None else default_corpus_dir()
    if not gold_path.is_dir():
        fail("PATH-MISSING", "--gold: no such folder", file=str(gold_path))
    if out.exists() and out.is_dir():
        fail("OPTION-INVALID", "--out is a folder; give the name of a .zip file", file=str(out), found="a folder",
             expected="a .zip file")
    summary = build_codabench_bundle(gold_path, out, title=title, docker_image=docker_image or DEFAULT_IMAGE,
                                     start=start.date() if isinstance(start, _dt.datetime) else None,
                                     dev_days=dev_days, baseline=baseline, baseline_system=baseline_system,
                                     check=not no_check)
    phases = ", ".join(f"{name}: {p['split']} ({p['documents']} documents)" for name, p in summary["phases"].items())
    click.echo(f"codabench bundle -> {out}: {phases}; baseline {summary['baseline']}; image {summary['docker_image']}"
               + ("; scoring program checked on the baseline for both phases" if summary["checked"] else ""))
    for check in summary["checked"]:
        click.echo(f"  {check['task']}: quotes_f1 {check['scores']['quotes_f1']:.4f}, claims_f1 "
                   f"{check['scores']['claims_f1']:.4f}, entities_f1 {check['scores']['entities_f1']:.4f}")
    if summary["withheld_texts"]:
        click.echo(f"wsw: warning: {summary['withheld_texts']} document text(s) are withheld (null) in the public data",
                   err=True)
