"""WhoSaidWhat: who said what in the news — corpus, format, annotation, release and scoring tools.

    >>> import whosaidwhat
    >>> docs = whosaidwhat.load("releases/whosaidwhat-1.0.0")          # datasets.DatasetDict (train/validation/test)
    >>> quotes = whosaidwhat.load("releases/whosaidwhat-1.0.0", "quotes", split="test")
    >>> table = whosaidwhat.counts("corpus")                           # pandas.DataFrame, one row per document
"""

__version__ = "0.1.0"

__all__ = ["__version__", "load", "counts"]


def __getattr__(name: str):
    """`load` and `counts` are imported on first use, so `import whosaidwhat` (and `wsw`) stays light."""
    if name in ("load", "counts"):
        from . import data

        return getattr(data, name)
    raise AttributeError(name)
