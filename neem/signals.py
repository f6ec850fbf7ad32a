"""Project-wide signals, so apps can tell each other things without importing each other."""

from django.dispatch import Signal

# A person opened or downloaded a participant's personal data. Sent by the views that show it (the case page,
# document downloads) with sender=the view's module name and user=, case=, action= ("view", "download"),
# detail=; the privacy app writes the access log.
personal_data_accessed = Signal()
