"""Pull every annotation of a Label Studio project into canonical documents (snapshot JSON export)."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UserError
from .client import Client
from .convert import Annotators, Converted, convert_export
from .output import write_output


def pull(client: Client, title: str, out_dir: str | Path, *, unit: str = "codepoints",
         include_predictions: bool = False, annotators: Annotators | None = None,
         partial: bool = False) -> Converted:
    """Export the project, convert it, and replace `out_dir` with the result (raw export kept beside it)."""
    project = client.find_project(title)
    if project is None:
        raise UserError(f"no Label Studio project titled {title!r} at {client.credentials.url} "
                        "(create it with `wsw labelstudio push`)")
    raw = client.export_snapshot(project.id)
    try:
        export = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UserError(f"the export of project {title!r} is not valid JSON ({exc}); nothing was written") from None
    converted = convert_export(export, unit=unit, include_predictions=include_predictions, annotators=annotators,
                               partial=partial, source=f"{client.credentials.url} project {project.id} ({title})")
    write_output(out_dir, converted, raw)
    return converted
