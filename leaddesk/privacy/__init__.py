"""What people asked of us: do not call me, forget me."""
