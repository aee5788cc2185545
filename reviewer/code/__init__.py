"""Static reading of handler source (AST only: the code under review is never imported or run)."""
