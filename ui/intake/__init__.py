"""Importing leads from a file: choose it, map its columns, see what it would do."""
