"""Qualifying a lead on the phone: answers, the suggested verdict, the verdict itself."""
