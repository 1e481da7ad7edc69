"""The salesperson's window: hand-offs waiting for an answer, and answering them."""
