"""The profile's journeys as steps: save the details, change an email address or phone
number, verify it, ask for a new code.

The Cognito calls are in :mod:`cognito_forms.flows.profile`; the pending change waits in its
own cookie (:func:`cognito_forms.journey_pending.load`). From the moment Cognito refuses an
address another account has, every step here is the one a free address gets (S10): only the
server's log and the sealed cookie know.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.http import HttpRequest
from django.urls import reverse

from .. import exceptions as exc
from .. import journey_pending, ratelimit
from ..conf import app_settings
from ..security_log import log_event
from ..steps import GoTo, Step
from . import attempts, profile, refresh

PROFILE = "cognito_forms:profile"


def _verify_page(attribute: str) -> str:
    return reverse("cognito_forms:verify_attribute", kwargs={"attribute": attribute})


def save_details(
    request: HttpRequest,
    *,
    access_token: str,
    sub: str,
    changed: Mapping[str, str],
    cleared: Collection[str],
    allowed: Collection[str],
) -> tuple[Step, list[str]]:
    """The profile form: send what changed, refresh the tokens so it shows at once. Returns
    the step and the names of the attributes sent (empty: nothing changed)."""
    if not changed and not cleared:
        return GoTo(PROFILE, message="nothing_changed"), []
    names = profile.update_attributes(
        access_token=access_token, changed=changed, cleared=cleared, allowed=allowed
    )
    log_event(request, "attribute_changed", sub=sub, attributes=",".join(names))
    refresh.refresh_now(request)
    return GoTo(PROFILE, message="profile_saved", level="success"), names


def start_change(
    request: HttpRequest, *, access_token: str, sub: str, attribute: str, value: str
) -> Step:
    """A new address or number: a code goes there; it waits in the pending cookie."""
    try:
        started = profile.start_change(access_token=access_token, attribute=attribute, value=value)
    except exc.InvalidParameter as error:
        raise type(error)(error.code, field="value") from error
    # S10: from here on, an address another account has gets exactly the answer of a free
    # one (redirect, cookies, pages); only the server's log and the sealed cookie know.
    event = "attribute_change_refused" if started.refused else "attribute_change_started"
    log_event(request, event, sub=sub, attribute=attribute)
    pending = journey_pending.load(request, sub).with_value(
        attribute, value, refused=started.refused
    )
    attempts.start_cooldown("attribute_code", sub, app_settings.RESEND_COOLDOWN)
    # Without AttributesRequireVerificationBeforeUpdate the value changed already (unverified).
    refresh.refresh_now(request)
    return GoTo(_verify_page(attribute), pending=pending)


def verify(
    request: HttpRequest, *, access_token: str, sub: str, attribute: str, code: str, label: str
) -> Step:
    """The code sent to the new address: the change counts; the pending value goes."""
    pending = journey_pending.load(request, sub)
    profile.verify(
        access_token=access_token,
        sub=sub,
        attribute=attribute,
        code=code,
        refused=attribute in pending.refused,
    )
    log_event(request, "attribute_changed", sub=sub, attributes=attribute)
    refresh.refresh_now(request)
    return GoTo(
        PROFILE,
        pending=pending.without(attribute),
        message="attribute_verified",
        level="success",
        params={"name": label},
    )


def resend_code(request: HttpRequest, *, access_token: str, sub: str, attribute: str) -> Step:
    """A new code for the pending value, at most once per cool-down. Raises
    :class:`~cognito_forms.exceptions.RateLimited` past the ``resend`` limits."""
    page = _verify_page(attribute)
    ratelimit.hit(request, "resend", key=sub)
    if attempts.cooldown_remaining("attribute_code", sub):
        return GoTo(page, message="attribute_code_wait", level="error")
    refused = attribute in journey_pending.load(request, sub).refused
    try:
        profile.resend_code(access_token=access_token, attribute=attribute, refused=refused)
    except exc.CognitoFormsError as error:
        return GoTo(page, message=error.code, level="error")
    attempts.start_cooldown("attribute_code", sub, app_settings.RESEND_COOLDOWN)
    return GoTo(page, message="attribute_code_sent", level="success")
