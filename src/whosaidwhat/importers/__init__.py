"""Importers: pure conversions from annotated corpora (GUM) to canonical documents.

Each importer is a set of functions `record -> document` plus the hand-made data it reads
(annotation/<corpus>/); reading files, copying raw inputs and writing documents happen in
`whosaidwhat.commands.importers`, at the edge.
"""
