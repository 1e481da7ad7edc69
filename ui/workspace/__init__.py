"""The rep's workspace: the queue, the lead, the call, the questionnaire, the status bar."""
