class OrganizationError(Exception):
    """A refused change to the directory; the message is what the user sees."""
