"""Rules of how a command is called: options, paths, outputs that would destroy inputs."""

from ..problems import ERROR, Rule

_S = "usage"
RULES = [
    Rule("OUT-OVERLAPS-INPUT", ERROR, _S, "an output path is, contains or lies inside one of the command's inputs: writing it would destroy them",
         usage=True),
    Rule("OUT-EXISTS", ERROR, _S, "the output exists and is not something the command may replace (use --force where offered)", usage=True),
    Rule("OPTION-INVALID", ERROR, _S, "an option's value is not allowed, or options that exclude each other were given together", usage=True),
    Rule("COMMAND-UNAVAILABLE", ERROR, _S, "the command is listed but its module is not installed in this version", usage=True),
    Rule("PATH-MISSING", ERROR, _S, "a path given on the command line does not exist or is of the wrong kind (file vs folder)", usage=True),
]
