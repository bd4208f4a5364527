class NotificationError(Exception):
    """A refused action on a notification; the message is what the person sees."""


class NotificationNotFound(NotificationError):
    """The notification does not exist for this person. Views answer 404, the same as for a notification that does
    not exist at all, so that nothing leaks about other people's notifications."""
