"""The admin's work on a store as a whole: setting up a team database."""
