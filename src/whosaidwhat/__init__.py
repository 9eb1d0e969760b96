"""WhoSaidWhat: who said what in the news — corpus, format, annotation, release and scoring tools."""

__version__ = "0.1.0"
