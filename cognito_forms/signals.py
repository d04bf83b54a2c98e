"""Signals of cognito-forms (Django's user_logged_in / user_logged_out are sent as well)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after a local user was created or updated from ID-token claims.
#: Arguments: ``user``, ``claims``, ``created`` (bool).
user_synced = Signal()

#: Sent after the middleware refreshed a browser's tokens. Arguments: ``request``, ``sub``.
tokens_refreshed = Signal()
