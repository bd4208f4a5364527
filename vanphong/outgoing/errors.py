class OutgoingError(Exception):
    """A step refused for a reason the user can fix; the message (translated) is shown as it is."""


class NotVisible(OutgoingError):
    """The person may not see or act on this document: views answer 404."""
