"""Click commands, one module per stage; each is a thin layer over a plain function."""
