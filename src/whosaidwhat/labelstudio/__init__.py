"""Annotation campaigns through Label Studio: config, push, pull, convert and a local server.

The mapping between canonical documents and Label Studio results is written down once, in
`mapping.py`; `encode.py` and `decode.py` are its two pure directions. Everything that talks to
a server goes through `client.py` (label-studio-sdk over HTTP, bounded retries). Work made
outside Label Studio enters as each annotator's own annotation (`push_annotators.py`): who is
who is in `annotators.py`, and the provenance that travels with each annotation in `provenance.py`.
"""
