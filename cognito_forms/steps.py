"""Where a journey goes next: the small typed answers every flow returns.

A flow decides (sign the visitor in, show the next challenge, go to a page with a message,
start the sign-in again); :meth:`cognito_forms.views.base.CognitoFormView.respond` turns the
step into HTTP (a redirect, the journey cookie written or cleared, a message from the adapter,
the signed-in session started). Nothing here knows about requests or responses, so a flow can
be tested, and reused by another front end, without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from .journey import ChallengeState, JourneyState
from .journey_pending import PendingChanges
from .types import TokenSet

#: ``then`` of a sign-in that follows this browser's own "sign out everywhere" (password change
#: or reset): its new session survives that sign-out (docs/security.md S4).
SIGNED_OUT_OTHERS = "signed_out_others"
#: ``then`` of a challenge after a reset that asked to end every session: once tokens arrive,
#: every session ends, this one included, and the visitor signs in afresh.
GLOBAL_SIGN_OUT = "global_sign_out"

Level = Literal["info", "success", "error"]


@dataclass(frozen=True)
class SignedIn:
    """Cognito answered with tokens: start the session and go to ``next_url`` (or the
    adapter's default); ``then`` is :data:`SIGNED_OUT_OTHERS` or ``""``."""

    tokens: TokenSet = field(repr=False)
    email: str
    next_url: str = ""
    then: str = ""
    message: str | None = None
    level: Level = "info"


@dataclass(frozen=True)
class NextChallenge:
    """Cognito asks for another step: its page, with ``state`` in the journey cookie."""

    state: ChallengeState
    message: str | None = None
    level: Level = "info"


@dataclass(frozen=True)
class GoTo:
    """Go to ``page`` (a URL name or a path), with an optional message (an adapter code and
    its parameters) and journey state: ``state`` is saved, ``clear_state`` drops the cookie,
    neither leaves it as it is; ``pending`` rewrites the pending attribute change."""

    page: str
    state: JourneyState | None = None
    pending: PendingChanges | None = None
    message: str | None = None
    level: Level = "info"
    params: Mapping[str, object] = field(default_factory=dict)
    clear_state: bool = False


@dataclass(frozen=True)
class Restart:
    """Back to the sign-in page with the sentence of ``reason`` (an error code); ``email``
    is filled in there when known."""

    reason: str
    email: str = ""
    next_url: str = ""


@dataclass(frozen=True)
class SignedOut:
    """The session ends here (and at Cognito); then ``page``. ``local_user``: what becomes of
    the local user afterwards ("keep", "deactivate" or "delete": an account deleted)."""

    page: str
    local_user: Literal["keep", "deactivate", "delete"] = "keep"


Step = SignedIn | NextChallenge | GoTo | Restart | SignedOut


def with_message(step: Step, message: str, level: Level = "success") -> Step:
    """``step`` with a message shown on the page it leads to (none for :class:`Restart`,
    whose reason is its message, and :class:`SignedOut`)."""
    if isinstance(step, SignedIn | NextChallenge | GoTo):
        return replace(step, message=message, level=level)
    return step
