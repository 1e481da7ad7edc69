"""What every window shares: forms, dialogs, icons, the look, the keys, the one write path."""
