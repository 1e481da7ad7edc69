"""Meetings booked while the prospect is on the line: the salespeople's working hours and
calendars (ICS), their free slots in the prospect's and the rep's time, the booking (one
transaction, no double booking), its moves and cancellations, and the invitation (.ics)."""
