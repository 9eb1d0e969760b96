"""The `wsw` command line: a thin, lazily loaded front over the package's functions.

Each command lives in `whosaidwhat.commands.<module>` and is imported only when run, so
`wsw --help` is fast and one stage's heavy imports never slow another. User errors
(`UserError`) become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from . import __version__
from .core.errors import UserError
from .core.problems import Problem, fail, printable

#: command name -> (module in whosaidwhat.commands, attribute, one-line help for `wsw --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("validate", "validate", "Check canonical documents against the schema and the semantic rules."),
    "stats": ("stats", "stats", "Corpus statistics: documents, tokens, mentions, entities, quotes, claims, per split."),
    "ingest": ("ingest", "ingest", "Turn a raw text or HTML article into a canonical document."),
    "import": ("importers", "import_group", "Import corpora (GUM, Wikinews records) into the canonical form."),
    "campaign": ("campaign", "campaign_group", "Annotation campaigns: who finished which document, what is ready to adjudicate."),
    "sheets": ("sheets", "sheets", "Convert annotation sheets (made outside Label Studio) into canonical documents."),
    "agreement": ("agreement", "agreement", "Inter-annotator agreement of independent annotations, with intervals."),
    "adjudicate": ("adjudicate", "adjudicate", "Two annotations -> decision files -> gold with a decision log."),
    "labelstudio": ("labelstudio", "labelstudio_group", "Annotation campaigns through Label Studio: config, push, pull, convert, serve."),
    "release": ("release", "release", "Build (or --verify) a versioned Hugging Face dataset release."),
    "rehydrate": ("release", "rehydrate", "Restore withheld article texts in a release from your own copies."),
    "score": ("score", "score", "Score a system's predictions against gold data."),
    "compare": ("score", "compare", "Test whether two systems differ significantly (paired bootstrap / randomization)."),
    "predict": ("predict", "predict", "Run a system (rules, trained, or an installed third-party one) over documents."),
    "train": ("train", "train", "Train a baseline system on the train split (the rules gazetteer, the trained model)."),
    "rules": ("rules", "rules", "List every rule a checker can report: id, severity, stage, meaning."),
    "leaderboard": ("leaderboard", "leaderboard_group", "Rank submissions into a static leaderboard site; build a Codabench bundle."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[name]
        try:
            module = importlib.import_module(f"whosaidwhat.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"whosaidwhat.commands.{module_name}":
                return _not_yet(name)
            raise
        return getattr(module, attribute)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _not_yet(name: str) -> click.Command:
    @click.command(name=name, help=COMMANDS[name][2] + " (not available in this version)")
    def missing():
        fail("COMMAND-UNAVAILABLE", f"'wsw {name}' is not available in this version of whosaidwhat")

    return missing


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wsw")
def cli():
    """WhoSaidWhat: who said what in the news.

    \b
    Examples:
      wsw validate corpus/
      wsw stats corpus/
      wsw ingest article.txt --id my-article --title "Headline" --outlet "Example News"
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user errors into one line and an exit code."""
    try:
        result = cli.main(args=argv, prog_name="wsw", standalone_mode=False)
    except UserError as exc:
        click.echo(printable(f"wsw: error: {exc.message}", keep_newlines=True), err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("wsw: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("wsw: interrupted", err=True)
        return 130
    except click.UsageError as exc:  # click's own checks of options and arguments: one line with its rule, like ours
        where = f"; see '{exc.ctx.command_path} --help'" if exc.ctx is not None else ""
        click.echo("wsw: error: " + Problem("OPTION-INVALID", exc.format_message().rstrip(".") + where).line(), err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file that cannot be read or written: the user's environment, not a bug
        problem = Problem("FILE-READ", str(exc.strerror or exc), file=None if exc.filename is None else str(exc.filename))
        click.echo(f"wsw: error: {problem.line()}", err=True)
        return 1
    # with standalone_mode=False click returns the code of ctx.exit(code) instead of raising
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
