class FilesError(Exception):
    """A refused step; the message is what the user sees."""


class NotVisible(FilesError):
    """The person may not see or change this file: views answer 404."""


class MissingMetadata(FilesError):
    def __init__(self, message, missing):
        super().__init__(message)
        self.missing = missing


class RowsRefused(FilesError):
    """A workbook with bad rows: nothing was taken in. `problems` are the rows' messages, one per bad row."""

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems
