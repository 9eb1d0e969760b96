"""Annotation campaigns through Label Studio: config, push, pull, convert and a local server.

The mapping between canonical documents and Label Studio results is written down once, in
`mapping.py`; `encode.py` and `decode.py` are its two pure directions. Everything that talks to
a server goes through `client.py` (label-studio-sdk over HTTP, bounded retries).
"""
