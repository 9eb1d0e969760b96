"""`wsw leaderboard build`: submissions -> scores (cached) -> ranks and tie groups -> a static site.

    >>> from whosaidwhat.leaderboard import build_leaderboard
    >>> report = build_leaderboard(["eval/submissions", "eval/baselines"], "corpus", "site")
    >>> report.leaderboard["tracks"]["quotes"]["rows"][0]["system"]

Writes into the output folder: `leaderboard.json` (schema/leaderboard.schema.json),
`leaderboard.md`, `index.html`, `systems/<id>.html` and `systems/<id>.score.json` per ranked
system, and `predictions/<id>.<ext>` (a copy of what was scored). The score cache goes beside the
site, not into it (`default_cache_dir`: `.site-cache/` for `site/`), because its error lists hold
gold text that must not be published with a site built with `--hide-errors`. Every system is handled on its own: whatever goes wrong
with one (its card, its files, its predictions, even an unexpected error) refuses that system
with the reason and the others are still ranked.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..core.atomic import write_bytes, write_text
from ..core.inventory import Inventory, load_inventory
from ..core.problems import Problem, fail
from ..scoring import load_gold, open_gold
from ..scoring.gold import GoldSet
from ..scoring.settings import METRICS_VERSION, ScoreSettings
from .cache import ScoreCache
from .entries import MAX_SUBMISSION_BYTES, Entry, discover
from .ranking import TESTS, TRACKS, Contender, method, rank_track
from .render_html import index_page, system_page
from .render_md import leaderboard_markdown
from .safe import visible
from .scorer import Refused, Scored, score_entry

LEADERBOARD_FORMAT = "whosaidwhat-leaderboard/1"
SITE_MARKER = "leaderboard.json"
SUBFOLDERS = ("systems", "predictions")
#: predictions larger than this are not copied into the site (the page still gives their SHA-256)
MAX_COPY_BYTES = 50 * 1024 * 1024


@dataclass
class BuildReport:
    """What a build did: the leaderboard document and, per system, whether it was scored or came from the cache."""

    leaderboard: dict
    out: Path
    cache: Path | None = None
    scored: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _display_path(path: Path) -> str:
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    return visible(str(shown), 300)


def default_cache_dir(out: Path) -> Path:
    """The score cache of a site: a hidden folder beside it (`.site-cache/` for `site/`)."""
    out = Path(out)
    return out.resolve().parent / f".{out.resolve().name}-cache"


def _check_out(out: Path, cache_dir: Path) -> None:
    if out.exists() and not out.is_dir():
        fail("OUT-EXISTS", "--out is a file; give a folder for the site", file=str(out), found="a file",
             expected="a folder")
    if out.is_dir():
        content = [p for p in out.iterdir() if p.resolve() != cache_dir.resolve()]
        if content and not (out / SITE_MARKER).is_file():
            fail("OUT-EXISTS", f"--out: folder is not empty and holds no {SITE_MARKER}; give a new folder or a "
                 "previous leaderboard site (its files are replaced)", file=str(out))


def _gold_record(gold: GoldSet) -> dict:
    info = gold.info
    return {"kind": info.kind, "path": visible(info.path, 300), "version": info.version,
            "splits_version": info.splits_version, "split": gold.split, "documents": len(gold.doc_ids),
            "content_sha256": gold.content_sha256}


def _system_record(entry: Entry, scored: Scored, copy_name: str | None) -> dict:
    assert entry.card is not None and entry.submission is not None
    sub = scored.result.get("submission", {})
    return {
        "id": entry.id,
        "card": entry.card.as_dict(),
        "warnings": entry.warnings,
        "submission": {"file": visible(entry.submission.name, 200), "path": _display_path(entry.submission),
                       "format": sub.get("format"), "sha256": scored.sha256, "bytes": entry.size,
                       "documents_scored": sub.get("documents_scored"),
                       "missing_documents": sub.get("missing_documents"),
                       "other_split_documents": sub.get("other_split_documents"),
                       "layers_submitted": sub.get("layers_submitted", {})},
        "page": f"systems/{entry.id}.html",
        "score_file": f"systems/{entry.id}.score.json",
        "predictions_copy": copy_name,
        "headline": scored.result.get("headline", {}),
        "notes": scored.result.get("notes", []),
    }


def _check_call(submissions: list[str | Path], out: Path, cache_root: Path, alpha: float, test: str) -> list[Path]:
    if test not in TESTS:
        fail("OPTION-INVALID", "--test: not a test the leaderboard knows", found=repr(test),
             expected=f"one of {', '.join(TESTS)}")
    if not 0 < alpha < 1:
        fail("OPTION-INVALID", "--alpha must lie strictly between 0 and 1", found=str(alpha), expected="0 < alpha < 1")
    paths = [Path(p) for p in submissions]
    missing = [str(p) for p in paths if not p.is_dir()]
    if missing:
        fail("PATH-MISSING", "no such folder (give folders of system folders, or system folders)", file=missing[0],
             found=", ".join(missing))
    _check_out(out, cache_root)
    return paths


def _score(entry: Entry, gold: GoldSet, inventory: Inventory, settings: ScoreSettings, cache: ScoreCache,
           report: BuildReport, say: Callable[[str, str], None]) -> Scored | None:
    """Score one candidate; None (and the entry refused) when it cannot be."""
    assert entry.submission is not None
    try:
        scored = score_entry(entry.submission, entry.folder, gold, inventory, settings, cache)
    except Refused as exc:
        entry.refuse(exc.problem, more=exc.more)
        if exc.cache == "hit":
            report.cached.append(entry.id)
        return None
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - one system's failure must not stop the others
        entry.refuse(Problem("LB-SCORING-FAILED", "could not be scored", found=f"{type(exc).__name__}: "
                             f"{visible(str(exc), 300)}"))
        return None
    (report.scored if scored.cache == "miss" else report.cached).append(entry.id)
    say("scored" if scored.cache == "miss" else "cached",
        f"{entry.id}: {visible(entry.submission.name, 100)} (sha256 {scored.sha256[:12]})")
    if scored.result.get("submission", {}).get("documents_scored") == 0:
        entry.warn(Problem("LB-PRED-NO-GOLD", f"predicts none of the documents of split {gold.split!r}: not ranked",
                           file=visible(entry.submission.name, 100), found="0 documents",
                           expected=f"some of {len(gold.doc_ids)}"))
    for warning in entry.warnings:
        report.warnings.append(f"{entry.id}: {warning}")
        say("warning", f"{entry.where}: {warning}")
    return scored


def _tracks(outcomes: list[tuple[Entry, Scored]], inventory: Inventory, settings: ScoreSettings, alpha: float,
            test: str, cache: ScoreCache, gold: GoldSet, gold_record: dict) -> dict:
    contenders = [Contender(e.id, s.result, s.counts, s.result.get("submission", {}).get("layers_submitted", {}), s.key)
                  for e, s in outcomes]
    tracks = {}
    for track in TRACKS:
        tracks[track.key] = rank_track(track, contenders, inventory, settings, alpha, test, cache)
        for row in tracks[track.key]["rows"]:
            row["submission_sha256"] = next(s.sha256 for e, s in outcomes if e.id == row["system"])
    for ranked in tracks.values():
        ranked["provenance"] = {"scorer_version": __version__, "metrics_version": METRICS_VERSION,
                                "gold_version": gold_record["version"],
                                "gold_content_sha256": gold_record["content_sha256"], "split": gold.split}
    return tracks


def _handle(entries: list[Entry], gold: GoldSet, inventory: Inventory, settings: ScoreSettings, cache: ScoreCache,
            report: BuildReport, say: Callable[[str, str], None]) -> list[tuple[Entry, Scored]]:
    """Score every candidate; record the skipped and refused in the report."""
    outcomes: list[tuple[Entry, Scored]] = []
    for entry in entries:
        if entry.status == "skipped":
            report.skipped.append({"system": entry.id, "folder": entry.where, "reasons": entry.reasons})
            say("skipped", f"{entry.where}: {'; '.join(entry.reasons)}")
            continue
        if entry.status == "candidate":
            scored = _score(entry, gold, inventory, settings, cache, report, say)
            if scored is not None:
                outcomes.append((entry, scored))
        if entry.status == "refused":
            report.refused.append({"system": entry.id, "folder": entry.where, "reasons": entry.reasons})
            say("refused", f"{entry.where}: {entry.reasons[0]}" + "".join(f"\n    {r}" for r in entry.reasons[1:]))
    return outcomes


def build_leaderboard(submissions: list[str | Path], gold_path: str | Path, out: str | Path,
                      settings: ScoreSettings | None = None, *, alpha: float = 0.05, test: str = "randomization",
                      cache_dir: str | Path | None = None, strict_cards: bool = False, show_errors: bool = True,
                      copy_predictions: bool = True, max_submission_bytes: int = MAX_SUBMISSION_BYTES,
                      inventory: Inventory | None = None,
                      log: Callable[[str, str], None] | None = None) -> BuildReport:
    """Score every system under `submissions` against `gold_path` and write the site into `out`.

    `log(kind, message)` hears about each system as it is handled: kind is scored, cached,
    refused, skipped or warning. Messages hold untrusted names already made visible.
    """
    started = time.perf_counter()
    settings = settings or ScoreSettings()
    out = Path(out)
    cache_root = Path(cache_dir) if cache_dir is not None else default_cache_dir(out)
    paths = _check_call(submissions, out, cache_root, alpha, test)
    inventory = inventory or load_inventory()
    say = log or (lambda kind, message: None)
    gold = load_gold(open_gold(gold_path), settings.split, inventory)
    cache = ScoreCache(cache_root)
    report = BuildReport({}, out, cache=cache_root)

    entries = discover(paths, settings.split, strict_cards, max_submission_bytes)
    outcomes = _handle(entries, gold, inventory, settings, cache, report, say)

    scorer = {"name": "whosaidwhat", "version": __version__, "metrics_version": METRICS_VERSION,
              "inventory_version": inventory.version}
    gold_record = _gold_record(gold)
    tracks = _tracks(outcomes, inventory, settings, alpha, test, cache, gold, gold_record)
    copies = {}
    for entry, _scored in outcomes:
        assert entry.submission is not None
        copies[entry.id] = (f"predictions/{entry.id}{entry.submission.suffix.lower()}"
                            if copy_predictions and entry.size <= MAX_COPY_BYTES else None)
    leaderboard = {
        "format": LEADERBOARD_FORMAT,
        "scorer": scorer,
        "gold": gold_record,
        "settings": settings.as_dict(),
        "ranking": method(alpha, test, settings),
        "tracks": tracks,
        "systems": [_system_record(e, s, copies[e.id]) for e, s in outcomes],
        "refused": report.refused,
        "skipped": report.skipped,
        "errors_shown": show_errors,
    }
    report.leaderboard = leaderboard
    _write_site(out, leaderboard, outcomes, copies, show_errors)
    report.seconds = time.perf_counter() - started
    return report


def _write_site(out: Path, leaderboard: dict, outcomes: list[tuple[Entry, Scored]], copies: dict,
                show_errors: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in SUBFOLDERS:
        (out / name).mkdir(exist_ok=True)
    keep: dict[str, set[str]] = {name: set() for name in SUBFOLDERS}
    for entry, scored in outcomes:
        keep["systems"] |= {f"{entry.id}.html", f"{entry.id}.score.json"}
        write_text(out / "systems" / f"{entry.id}.html", system_page(leaderboard, entry, scored, show_errors))
        record = {"system": entry.id, "score": scored.result}
        if show_errors:
            record["mistakes"] = scored.mistakes
        write_text(out / "systems" / f"{entry.id}.score.json", json.dumps(record, ensure_ascii=False, indent=1) + "\n")
        if copies[entry.id] and entry.submission is not None:
            try:
                data = entry.submission.read_bytes()
            except OSError:
                data = b""
            if hashlib.sha256(data).hexdigest() == scored.sha256:  # exactly what was scored, or no copy
                target = out / copies[entry.id]
                keep["predictions"].add(target.name)
                write_bytes(target, data)
    for name in SUBFOLDERS:  # files of systems that are no longer on the board
        for path in (out / name).iterdir():
            if path.is_file() and path.name not in keep[name]:
                path.unlink()
    write_text(out / "leaderboard.md", leaderboard_markdown(leaderboard))
    write_text(out / "index.html", index_page(leaderboard))
    write_text(out / SITE_MARKER, json.dumps(leaderboard, ensure_ascii=False, indent=1) + "\n")

