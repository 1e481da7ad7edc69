"""Handing leads to sales, and reading sales' answer back."""
