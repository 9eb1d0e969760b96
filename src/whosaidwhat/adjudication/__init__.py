"""Adjudication: from two independent annotations of a document to one gold, through a decision file."""
