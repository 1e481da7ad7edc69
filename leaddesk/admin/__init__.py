"""The store as a whole: setting up a team database, and connecting a desk to one."""
