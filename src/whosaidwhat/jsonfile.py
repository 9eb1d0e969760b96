"""Reading one JSON file the user gave us: every way it can fail becomes one UserError naming it."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import UserError


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def read_json(path: Path, what: str, hint: str = ""):
    """The parsed content of `path`, strict JSON (no NaN/Infinity).

    Unreadable, not UTF-8, truncated, too deep or with unreadable numbers: `UserError`
    "<path>: cannot read <what> (<reason>)[; <hint>]".
    """
    tail = f"; {hint}" if hint else ""
    try:
        return json.loads(Path(path).read_bytes().decode("utf-8"), parse_constant=_reject_constant)
    except OSError as exc:
        reason = exc.strerror or str(exc)
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 at byte {exc.start}"
    except RecursionError:
        reason = "JSON nested too deeply to read"
    except ValueError as exc:  # JSONDecodeError (truncated?), NaN/Infinity, an integer of too many digits
        reason = f"not valid JSON: {str(exc)[:200]}"
    raise UserError(f"{path}: cannot read {what} ({reason}){tail}")


def read_json_object(path: Path, what: str, hint: str = "") -> dict:
    """Like `read_json`, and the content must be a JSON object."""
    data = read_json(path, what, hint)
    if not isinstance(data, dict):
        raise UserError(f"{path}: cannot read {what} (expected a JSON object, found {type(data).__name__})"
                        + (f"; {hint}" if hint else ""))
    return data
