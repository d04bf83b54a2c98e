"""Signals of cognito-forms (Django's user_logged_in / user_logged_out are sent as well)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after a local user was created or updated from ID-token claims.
#: Arguments: ``user``, ``claims``, ``created`` (bool).
user_synced = Signal()

#: Sent after the middleware refreshed a browser's tokens. Arguments: ``request``, ``sub``.
tokens_refreshed = Signal()

# --- account self-service (profile, password, MFA, deletion) ---------------------------------
# Every one is sent with ``sender`` (the view class), ``request`` and ``user`` (the local user),
# plus what changed as names only: never an attribute's value, a password or a code.

#: Sent after the user changed their profile or verified a new email/phone number.
#: Extra argument: ``attributes`` (sorted list of the Cognito attribute names written or cleared).
profile_updated = Signal()

#: Sent after the user changed their password.
#: Extra argument: ``signed_out_others`` (bool: every other session was ended).
password_changed = Signal()

#: Sent after the user changed their two-step verification settings.
#: Extra arguments: ``method`` ("totp", "sms" or "email") and ``action`` ("enabled",
#: "disabled" or "preferred").
mfa_changed = Signal()

#: Sent after the user deleted their Cognito account (before the local user is removed or
#: deactivated). Extra arguments: ``sub`` and ``local_user_deleted`` (bool).
account_deleted = Signal()
