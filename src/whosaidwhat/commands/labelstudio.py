"""`wsw labelstudio`: config, push, pull, convert and serve for annotation campaigns."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from ..core.jsonfile import read_bytes, read_json
from ..core.paths import overlap
from ..core.problems import fail


def _connection_options(fn):
    """--url/--token/--config/--timeout/--retries, turned into a `client` argument."""

    @click.option("--url", help="Label Studio URL (else $WSW_LABEL_STUDIO_URL, else the credentials file).")
    @click.option("--token", help="API token (else $WSW_LABEL_STUDIO_TOKEN, else the credentials file). "
                                  "Prefer the environment: options show up in process lists.")
    @click.option("--config", "config_file", type=click.Path(path_type=Path),
                  help="Credentials file written by `wsw labelstudio serve` (default ~/.config/whosaidwhat/labelstudio.json).")
    @click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
                  help="Seconds to wait for one answer.")
    @click.option("--retries", type=click.IntRange(min=1), default=5, show_default=True,
                  help="Attempts per call on connection errors, timeouts, 429 and 5xx (with exponential backoff).")
    @functools.wraps(fn)
    def wrapper(url, token, config_file, timeout, retries, **kwargs):
        from ..labelstudio.client import Client, RetryPolicy, resolve_credentials

        credentials = resolve_credentials(url, token, config_file)
        client = Client(credentials, RetryPolicy(attempts=retries, timeout=timeout))
        return fn(client=client, **kwargs)

    return wrapper


def _annotators(path: Path | None):
    from ..labelstudio.annotators import Annotators, check_map

    if path is None:
        return Annotators()
    return Annotators(check_map(read_json(path, "the annotator map"), str(path)))


_OFFSETS = click.option("--offsets", type=click.Choice(["codepoints", "utf16", "auto"]), default="codepoints",
                        show_default=True,
                        help="Offset unit of the export: code points (Label Studio >= 1.4), UTF-16 code units "
                             "(older exports), or auto (per annotation, the unit that matches every region's text).")
_PREDICTIONS = click.option("--predictions", "include_predictions", is_flag=True,
                            help="Also convert predictions (pre-annotations), under predictions/<model_version>/.")
_ANNOTATORS = click.option("--annotators", "annotator_map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="JSON map from Label Studio user id or e-mail to annotator id (default: the id an "
                                "annotation was pushed as, or of its <id>@annotators.invalid user, else ls-user-<id>).")
_PARTIAL = click.option("--partial", is_flag=True,
                        help="Also write documents with unconvertible regions, leaving those out and recording "
                             "each omission in the layer provenance (default: such documents are not written).")


def _problem_line(source: str, entry: dict) -> str:
    where = " ".join(f"{k} {entry[k]}" for k in ("task", "annotation", "region") if entry.get(k) is not None)
    control = f" ({entry['control']})" if entry.get("control") else ""
    return f"{source}: {entry.get('doc_id') or '?'}: {where}{control}: [{entry.get('rule')}] {entry['message']}"


def _summarise(converted, out_dir: Path) -> None:
    from ..labelstudio.output import REPORT_NAME, failed_folder

    report = converted.report
    for entry in report["problems"]:
        click.echo(_problem_line(report["source"], entry))
    reasons: dict[str, int] = {}
    for entry in report["skipped"]:
        reason = entry["reason"].split(";")[0]
        reasons[reason] = reasons.get(reason, 0) + 1
    skipped = "; ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    counts = (f"{report['problem_count']} problem(s), {report['warning_count']} warning(s)"
              + (f"; not converted: {skipped}" if skipped else ""))
    if converted.ok or report["partial"]:
        verdict = "OK" if converted.ok else "PARTIAL"
        click.echo(f"{verdict}: {report['documents_written']} document(s) written to {out_dir} from {report['tasks']} "
                   f"task(s); {counts}. Details: {out_dir / REPORT_NAME}", err=True)
        return
    kept = f"{out_dir} was left as it was" if out_dir.exists() else f"nothing was written to {out_dir}"
    click.echo(f"FAILED: {report['tasks']} task(s), {counts}; {kept} (fix the problems, or pass --partial to write "
               f"what converts). Details: {failed_folder(out_dir) / REPORT_NAME}", err=True)


def _refuse_overlap(out_dir: Path, inputs: dict) -> None:
    """OUT-OVERLAPS-INPUT when the output folder (or OUT.failed) is, holds or lies inside an input file."""
    from ..labelstudio.output import failed_folder

    for target in (out_dir, failed_folder(out_dir)):
        for what, path in inputs.items():
            if path is None:
                continue
            relation = overlap(target, path)
            if relation in ("is", "holds"):
                fail("OUT-OVERLAPS-INPUT", f"--out {target} {relation} the {what} {path}: replacing the output folder "
                     "would delete it; choose an --out outside it; nothing was written", file=str(path),
                     found=f"{target} {relation} {path}", expected="an output folder apart from the inputs")


@click.group(name="labelstudio")
def labelstudio_group():
    """Annotation campaigns through Label Studio: config, push, pull, convert, serve.

    \b
    Typical campaign:
      wsw labelstudio serve --data-dir ~/ls-data            # in its own terminal
      wsw labelstudio push --project news-2026-q1 corpus/documents/
      ... annotators work in the browser ...
      wsw labelstudio pull --project news-2026-q1 --out annotation/pulls/news-2026-q1
      wsw validate annotation/pulls/news-2026-q1/annotators
    """


@labelstudio_group.command(name="config")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the XML here (default: stdout).")
@click.option("--check", "check", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Compare this file with the generated config; exit 1 if it differs.")
def config_command(out: Path | None, check: Path | None):
    """Print the labeling config generated from schema/labels.json.

    \b
    Examples:
      wsw labelstudio config --out annotation/labelstudio/config.xml
      wsw labelstudio config --check annotation/labelstudio/config.xml
    """
    from ..core.atomic import write_text
    from ..labelstudio.config import build_config

    xml = build_config()
    if check is not None:
        if read_bytes(check).decode("utf-8", "replace") != xml:
            fail("LS-CONFIG-STALE", f"differs from the config generated from schema/labels.json; regenerate it with "
                 f"`wsw labelstudio config --out {check}`", file=str(check))
        click.echo(f"{check}: up to date", err=True)
        return
    if out is not None:
        write_text(out, xml)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(xml, nl=False)


@labelstudio_group.command(name="push")
@click.option("--project", "title", required=True, help="Project title; created with the generated config if missing.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--as", "mode", type=click.Choice(["predictions", "annotations", "none"]), default=None,
              help="Send existing layers as pre-annotations (predictions, the default), as finished "
                   "annotations of the pushing user (with new tasks only), or not at all.")
@click.option("--annotator-from-provenance", "per_annotator", is_flag=True,
              help="Each document was made by one annotator (provenance.layers.mentions.producers[0].id): add it as "
                   "that annotator's own annotation (a Label Studio user <id>@annotators.invalid, created if "
                   "needed), one per (document, annotator), with its provenance kept for pull. Implies --as annotations.")
@click.option("--model-version", help="model_version of the predictions (default: from the layer provenance).")
@click.option("--batch-size", type=click.IntRange(min=1, max=5000), default=100, show_default=True)
@click.option("--update-config", is_flag=True, help="Replace the project's labeling config if it differs from the generated one.")
@_connection_options
def push_command(client, title: str, paths: tuple[Path, ...], mode: str | None, per_annotator: bool,
                 model_version: str | None, batch_size: int, update_config: bool):
    """Import canonical documents as tasks; documents already in the project (by doc_id) are skipped.

    PATHS are files or folders of canonical documents (default: the bundled corpus/documents).

    With --annotator-from-provenance, PATHS are folders of annotators' work (one document per
    document and annotator); each becomes its annotator's own annotation of the document's task
    (tasks are imported when missing), and `pull` gives every annotator's documents back with
    their provenance. Re-running adds nothing.

    \b
    Examples:
      wsw labelstudio push --project news-2026-q1 corpus/documents/
      wsw labelstudio push --project silver-batch-7 silver/ --as predictions --model-version ner-0.3
      wsw labelstudio push --project agreement-q1 --annotator-from-provenance work/ann-x work/ann-y
    """
    from tqdm import tqdm

    from ..core.resources import default_corpus_dir
    from ..labelstudio.push import push, read_documents

    if per_annotator:
        _check_per_annotator_options(mode, model_version, paths)
    paths = paths or (default_corpus_dir() / "documents",)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail("PATH-MISSING", f"no such file or folder: {', '.join(missing)}", file=missing[0])
    if per_annotator:
        return _push_per_annotator(client, title, paths, batch_size, update_config)
    total = sum(1 for _ in read_documents(paths))  # validates everything before sending anything
    if total == 0:
        fail("LS-PUSH-NO-DOCUMENTS", f"no documents found under {', '.join(map(str, paths))}")
    with tqdm(total=total, unit="doc", desc="pushing", disable=total < 200 or not sys.stderr.isatty(),
              file=sys.stderr) as bar:
        result = push(client, title, read_documents(paths), mode or "predictions", model_version, batch_size,
                      update_config, bar.update)
    _warn_config_and_duplicates(title, result)
    created = " (created)" if result.project_created else ""
    click.echo(f"project {title!r} (id {result.project_id}){created}: {result.imported} task(s) imported, "
               f"{result.already_present} already present, {result.documents} document(s) read", err=True)


def _check_per_annotator_options(mode: str | None, model_version: str | None, paths) -> None:
    if mode not in (None, "annotations"):
        fail("OPTION-INVALID", f"--annotator-from-provenance makes annotations; it cannot be combined with --as {mode}",
             found=f"--as {mode}", expected="--as annotations or no --as")
    if model_version is not None:
        fail("OPTION-INVALID", "--model-version names predictions; --annotator-from-provenance makes annotations",
             found="--model-version", expected="no --model-version")
    if not paths:
        fail("PATH-MISSING", "--annotator-from-provenance needs the folders of the annotators' documents")


def _warn_config_and_duplicates(title: str, result) -> None:
    if result.config_differs:
        click.echo(f"warning: project {title!r} has a labeling config that differs from the generated one; "
                   "pass --update-config to replace it", err=True)
    for doc_id, ids in sorted(result.duplicates.items()):
        click.echo(f"warning: document {doc_id} has {len(ids)} tasks in the project (ids {', '.join(map(str, ids))}); "
                   "pull keeps the newest annotation per annotator", err=True)


def _push_per_annotator(client, title: str, paths, batch_size: int, update_config: bool) -> None:
    """push --annotator-from-provenance: read and check everything, push, summarise."""
    from tqdm import tqdm

    from ..labelstudio.push_annotators import push_annotations, read_annotated

    items = read_annotated(paths)
    if not items:
        fail("LS-PUSH-NO-DOCUMENTS", f"no documents found under {', '.join(map(str, paths))}")
    with tqdm(total=len(items), unit="doc", desc="pushing", disable=len(items) < 200 or not sys.stderr.isatty(),
              file=sys.stderr) as bar:
        result = push_annotations(client, title, items, batch_size, update_config, bar.update)
    _warn_config_and_duplicates(title, result)
    for entry in result.differing:
        click.echo(f"warning: {entry['where']}: annotator {entry['annotator']} already has annotation "
                   f"{entry['annotation']} of {entry['doc_id']} (task {entry['task']}), which differs in "
                   f"{', '.join(entry['layers'])}; it was left as it is (delete it in Label Studio to push this one)",
                   err=True)
    created = " (created)" if result.project_created else ""
    new_users = f"; user(s) created: {', '.join(result.users_created)}" if result.users_created else ""
    click.echo(f"project {title!r} (id {result.project_id}){created}: {result.annotations_created} annotation(s) "
               f"created, {result.already_present} already present, {result.tasks_imported} task(s) imported; "
               f"{result.documents} document(s) of {len(result.users)} annotator(s) read{new_users}", err=True)


@labelstudio_group.command(name="pull")
@click.option("--project", "title", required=True, help="Project title.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder, replaced as a whole: annotators/<id>/<doc>.json, report.json, the raw export. "
                   "A failed run leaves it as it was and writes its report and the export to OUT.failed/.")
@_OFFSETS
@_PREDICTIONS
@_ANNOTATORS
@_PARTIAL
@_connection_options
def pull_command(client, title: str, out_dir: Path, offsets: str, include_predictions: bool,
                 annotator_map: Path | None, partial: bool):
    """Export a project and convert every annotation into a canonical document per (document, annotator).

    When anything cannot be converted (exit 1) and --partial is not given, OUT is left exactly
    as it was and the report, with the raw export, goes to OUT.failed/ instead.

    \b
    Examples:
      wsw labelstudio pull --project news-2026-q1 --out annotation/pulls/news-2026-q1
      wsw labelstudio pull --project news-2026-q1 --out pulls/q1 --annotators annotators.json --predictions
    """
    from ..labelstudio.pull import pull

    _refuse_overlap(out_dir, {"annotator map": annotator_map})
    converted = pull(client, title, out_dir, unit=offsets, include_predictions=include_predictions,
                     annotators=_annotators(annotator_map), partial=partial)
    _summarise(converted, out_dir)
    click.get_current_context().exit(0 if converted.ok else 1)


@labelstudio_group.command(name="convert")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder, replaced as a whole: annotators/<id>/<doc>.json and report.json. "
                   "A failed run leaves it as it was and writes its report to OUT.failed/report.json.")
@_OFFSETS
@_PREDICTIONS
@_ANNOTATORS
@_PARTIAL
def convert_command(export_file: Path, out_dir: Path, offsets: str, include_predictions: bool,
                    annotator_map: Path | None, partial: bool):
    """Convert a Label Studio JSON export (downloaded by hand) into canonical documents.

    When anything cannot be converted (exit 1) and --partial is not given, OUT is left exactly
    as it was and the report goes to OUT.failed/report.json instead.

    \b
    Examples:
      wsw labelstudio convert project-3-at-2026-11-27.json --out pulls/project-3
      wsw labelstudio convert old-export.json --out pulls/old --offsets auto
    """
    from ..labelstudio.convert import convert_export, parse_export
    from ..labelstudio.output import write_result

    _refuse_overlap(out_dir, {"export": export_file, "annotator map": annotator_map})
    export = parse_export(read_bytes(export_file), str(export_file))
    converted = convert_export(export, unit=offsets, include_predictions=include_predictions,
                               annotators=_annotators(annotator_map), partial=partial, source=str(export_file))
    write_result(out_dir, converted)
    _summarise(converted, out_dir)
    click.get_current_context().exit(0 if converted.ok else 1)


@labelstudio_group.command(name="serve")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Label Studio data folder (default ~/.local/share/whosaidwhat/label-studio).")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--username", default="admin@localhost", show_default=True, help="Admin login (an e-mail address).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the URL and credentials (default ~/.config/whosaidwhat/labelstudio.json, mode 0600).")
@click.option("--install/--no-install", default=True, show_default=True,
              help="Install Label Studio into a per-user cache venv when it is not found.")
def serve_command(data_dir: Path | None, port: int, username: str, config_file: Path | None, install: bool):
    """Run a local Label Studio on 127.0.0.1 until Ctrl-C, with an admin and API token for wsw.

    The token and the admin password go to the credentials file only (mode 0600), never to the
    terminal or logs. Telemetry, version checks and error reporting are off.

    \b
    Examples:
      wsw labelstudio serve --data-dir ~/wsw-ls-data
      wsw labelstudio serve --port 8089 --no-install
    """
    import os
    import signal

    from ..labelstudio import server as srv
    from ..labelstudio.client import config_path, read_config

    binary = srv.find_binary()
    if binary is None:
        if not install:
            fail("LS-BINARY-MISSING", f"Label Studio {srv.LS_VERSION} not found; {srv.INSTALL_HINT}")
        binary = srv.install(srv.default_venv(), lambda m: click.echo(m, err=True))
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    data_dir = (data_dir or data_home / "whosaidwhat" / "label-studio").expanduser().resolve()
    path = (config_file or config_path()).expanduser()
    stored = read_config(path)
    if stored.get("data_dir") == str(data_dir) and stored.get("token") and stored.get("password"):
        token, password, username = stored["token"], stored["password"], stored.get("username", username)
    elif (data_dir / "label_studio.sqlite3").exists():
        fail("LS-DATA-DIR-FOREIGN", f"holds a Label Studio database whose credentials are not in {path}; use a new "
             "--data-dir, or the --config file written when it was created", file=str(data_dir))
    else:
        token, password = srv.new_secret(), srv.new_secret(12)
    click.echo(f"starting Label Studio {srv.LS_VERSION} ({binary}) with data in {data_dir} ...", err=True)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # also when started in the background
        signal.signal(sig, interrupted)
    server = srv.start(binary, data_dir, port, username=username, password=password, token=token)
    try:
        srv.write_credentials(path, {"url": server.url, "token": token, "username": username, "password": password,
                                     "data_dir": str(data_dir), "pid": server.pid})
        if not server.url.endswith(f":{port}"):
            click.echo(f"note: port {port} was taken when Label Studio started; it moved to {server.url}", err=True)
        click.echo(f"Label Studio is running at {server.url} (pid {server.pid}, log {server.log_path}).\n"
                   f"Log in as {username}; the password and the API token are in {path} (readable by you only).\n"
                   "Press Ctrl-C to stop.", err=True)
        server.process.wait()
        fail("LS-SERVER-START", f"Label Studio stopped by itself (status {server.process.returncode}); "
             f"its log ends with:\n{server.log_tail()}", file=str(server.log_path))
    except KeyboardInterrupt:
        click.echo("stopping Label Studio ...", err=True)
    finally:
        server.stop()
