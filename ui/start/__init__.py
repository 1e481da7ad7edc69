"""Starting the window: where the leads live, who is signing in, restoring a backup."""
