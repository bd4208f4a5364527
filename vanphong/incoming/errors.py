class IncomingError(Exception):
    """A refused step on an incoming document; the message is what the user sees."""


class NotVisible(IncomingError):
    """The person may not see this document or act on it: views answer 404 so that nothing leaks."""


class DuplicateSuspected(IncomingError):
    def __init__(self, message, duplicates):
        super().__init__(message)
        self.duplicates = duplicates
