"""Pull every annotation of a Label Studio project into canonical documents (snapshot JSON export)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..core.problems import Problem, fail
from .client import Client
from .config import build_config
from .convert import Annotators, Converted, convert_export, parse_export, report_entry
from .output import write_result


def user_directory(client: Client) -> dict:
    """user id -> (e-mail, first name) of the organization's users, to resolve annotators by e-mail.

    The export itself names users by id only (so that the raw export kept beside the documents
    holds no e-mail addresses).
    """
    return {u.id: (getattr(u, "email", None), getattr(u, "first_name", None)) for u in client.users()
            if isinstance(getattr(u, "id", None), int)}


def pull(client: Client, title: str, out_dir: str | Path, *, unit: str = "codepoints",
         include_predictions: bool = False, annotators: Annotators | None = None,
         partial: bool = False) -> Converted:
    """Export the project, convert it, and replace `out_dir` with the result (raw export kept beside it).

    A failed conversion leaves `out_dir` as it was and writes the report and raw export to
    `<out>.failed/` instead (see `output.write_result`).
    """
    project = client.find_project(title)
    if project is None:
        fail("LS-PROJECT-MISSING", f"no Label Studio project titled {title!r} at {client.credentials.url} "
             "(create it with `wsw labelstudio push`)", found=title)
    annotators = replace(annotators or Annotators(), users=user_directory(client))
    raw = client.export_snapshot(project.id)
    source = f"{client.credentials.url} project {project.id} ({title})"
    export = parse_export(raw, f"the export of {source}")
    converted = convert_export(export, unit=unit, include_predictions=include_predictions, annotators=annotators,
                               partial=partial, source=source, server_url=client.credentials.url)
    if _config_differs(client, project):
        _note_foreign_config(converted, title)
    write_result(out_dir, converted, raw)
    return converted


def _config_differs(client: Client, project) -> bool:
    config = getattr(project, "label_config", None)
    if not isinstance(config, str):
        config = getattr(client.project(project.id), "label_config", None)
    return isinstance(config, str) and config.strip() != build_config().strip()


def _note_foreign_config(converted: Converted, title: str) -> None:
    """The project's labeling config is not ours: say so first, whatever else the report says."""
    problem = Problem("LS-CONFIG-FOREIGN", f"the labeling config of project {title!r} differs from the one wsw generates "
                      "(`wsw labelstudio config`): annotations made with other controls or labels cannot be converted; "
                      "`wsw labelstudio push --update-config` replaces it", file=converted.report["source"])
    converted.problems.insert(0, problem)
    if converted.report["problems"]:  # an error then: the first thing the report and the command say
        converted.report["problems"].insert(0, report_entry(problem))
        converted.report["problem_count"] += 1
