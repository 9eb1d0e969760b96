"""Pull every annotation of a Label Studio project into canonical documents (snapshot JSON export)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..core.errors import UserError
from .client import Client
from .convert import Annotators, Converted, convert_export, parse_export
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
        raise UserError(f"no Label Studio project titled {title!r} at {client.credentials.url} "
                        "(create it with `wsw labelstudio push`)")
    annotators = replace(annotators or Annotators(), users=user_directory(client))
    raw = client.export_snapshot(project.id)
    source = f"{client.credentials.url} project {project.id} ({title})"
    export = parse_export(raw, f"the export of {source}")
    converted = convert_export(export, unit=unit, include_predictions=include_predictions, annotators=annotators,
                               partial=partial, source=source, server_url=client.credentials.url)
    write_result(out_dir, converted, raw)
    return converted
