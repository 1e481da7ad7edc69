"""Calls on the phone: logging them, taking one back, a rep's day in numbers."""
