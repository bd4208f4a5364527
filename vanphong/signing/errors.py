class SigningError(Exception):
    """A refused signing step (bad image, unusable key, field already signed); the message is what the user sees."""
