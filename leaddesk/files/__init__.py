"""Files LeadDesk reads and writes for the user, its logs and the data it ships."""
