class WorkCalendarError(Exception):
    """A refused change to the working-day calendar; the message is what the user sees."""
