"""Systems that predict entities, quotes and claims, and how `wsw predict` runs them.

    >>> from whosaidwhat.systems import load_system
    >>> system = load_system("rules")
    >>> line = system.predict(document)        # a submission line (schema/submission.schema.json)

The interface is `base.System` (name, version, kind, predict); systems are entry points of the
group `whosaidwhat.systems` (`registry`). Built in: `rules` (rules.py and the modules it
assembles through pipeline.py) and `trained` (trained.py). `runner.predict_file` runs a system
over documents from `inputs.iter_input_documents` into a file (`outputs`); `documents` turns a
prediction into a canonical document for pre-annotation; `baselines` writes cards and the README
table of eval/baselines/.
"""

from .base import SYSTEM_KINDS, BaseSystem, System
from .registry import GROUP, installed_systems, load_system

__all__ = ["System", "BaseSystem", "SYSTEM_KINDS", "GROUP", "installed_systems", "load_system"]
