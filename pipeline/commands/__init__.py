"""Commands beyond the stages (eval, report, export): one click command per module."""
