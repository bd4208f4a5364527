class SignInError(Exception):
    """A refused sign-in; the message is what the person sees."""


class AccountLocked(SignInError):
    pass


class InvalidCredentials(SignInError):
    pass


class InvalidCode(SignInError):
    pass
