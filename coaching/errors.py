class DomainError(Exception):
    """A user action that cannot be done; the message is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotAllowed(DomainError):
    """The user has no right to do this to this object."""


class Refused(DomainError):
    """The action is not possible in the object's present state."""
