"""The people who use LeadDesk and what each role may do."""
