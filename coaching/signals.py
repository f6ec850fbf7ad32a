"""Hook points other parts of the app listen to."""

from django.dispatch import Signal

# Sent by coaching.services.case_transition *inside* its transaction, right after the stage changed
# and the timeline row was written: receivers' writes commit or roll back with the transition.
# Arguments: case, by, name (the transition), from_state, to_state.
# Receivers must only write to the database; e-mail and other side effects belong in
# transaction.on_commit() so a rolled-back transition sends nothing.
case_transitioned = Signal()
