"""A person's phone numbers, emails and names: cleaned, compared and corrected."""
