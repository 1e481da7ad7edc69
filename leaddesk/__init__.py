"""LeadDesk core: the qualification desk, free of any user-interface toolkit."""

__version__ = "0.1.0"
