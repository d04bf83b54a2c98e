"""The Django admin for users linked to Cognito.

The change page of a link shows the user's Cognito status, attributes and groups (one
AdminGetUser and one AdminListGroupsForUser); the list offers actions: disable, enable, reset
password, sign out everywhere, add to and remove from a group (named in the field next to the
action menu). Status and actions appear only when the site may make admin calls
(``COGNITO_ADMIN_ENABLED``, see :func:`flows.administration.enabled`). A Cognito failure is an
admin message, never an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import exceptions as exc
from .flows import administration
from .models import CognitoIdentity

#: Our exception codes -> what an administrator reads (the adapter's messages are for visitors).
ADMIN_ERRORS: dict[str, Any] = {
    "user_not_found": _("This user does not exist in the user pool."),
    "resource_not_found": _("The user pool or the group does not exist."),
    "not_authorized": _("Cognito refused: the site's AWS credentials may not allow this action."),
    "forbidden": _("Cognito refused: the site's AWS credentials may not allow this action."),
    "invalid_parameter": _("Cognito did not accept the request."),
    "limit_exceeded": _("Cognito's limit for this action was reached. Try again later."),
    "too_many_requests": _("Cognito is busy. Try again in a moment."),
    "service_unavailable": _("Cognito could not be reached. Try again in a moment."),
}
GENERIC_ERROR = _("Cognito could not do this (%(code)s).")


def admin_error(error: exc.CognitoFormsError) -> str:
    """The administrator's sentence for a Cognito failure."""
    message = ADMIN_ERRORS.get(error.code)
    return str(message) if message is not None else str(GENERIC_ERROR) % {"code": error.code}


def cognito_username(identity: CognitoIdentity) -> str:
    """The name admin calls address the user by (Cognito accepts the username or the sub)."""
    return identity.username or identity.sub


class CognitoActionForm(helpers.ActionForm):
    group = forms.CharField(
        label=_("Cognito group"),
        required=False,
        max_length=128,
        help_text=_("For the add to / remove from group actions."),
    )


def _each(
    request: HttpRequest,
    queryset: QuerySet[CognitoIdentity],
    operation: Callable[[CognitoIdentity], None],
    done: Any,
    **values: str,
) -> None:
    """Run `operation` per user: each failure is an error message, the successes one message
    (`done`, an ngettext_lazy counted by "count", filled with `values` too)."""
    succeeded = 0
    for identity in queryset:
        try:
            operation(identity)
        except exc.CognitoFormsError as error:
            messages.error(request, f"{cognito_username(identity)}: {admin_error(error)}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, done % {"count": succeeded, **values})


def _each_in_group(
    request: HttpRequest,
    queryset: QuerySet[CognitoIdentity],
    operation: Callable[[str, str], None],
    done: Any,
) -> None:
    """`_each` for the group actions: the group is the one named next to the action menu."""
    group = str(request.POST.get("group", "")).strip()
    if not group:
        messages.error(request, _("Enter the name of a Cognito group next to the action menu."))
        return
    _each(request, queryset, lambda i: operation(cognito_username(i), group), done, group=group)


@admin.action(description=_("Disable in Cognito (and end their sessions)"), permissions=["change"])
def disable_users(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    _each(
        request,
        queryset,
        lambda i: administration.disable(cognito_username(i), i.sub),
        ngettext_lazy("%(count)d user disabled.", "%(count)d users disabled.", "count"),
    )


@admin.action(description=_("Enable in Cognito"), permissions=["change"])
def enable_users(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    _each(
        request,
        queryset,
        lambda i: administration.enable(cognito_username(i)),
        ngettext_lazy("%(count)d user enabled.", "%(count)d users enabled.", "count"),
    )


@admin.action(description=_("Reset password (send a code)"), permissions=["change"])
def reset_passwords(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    _each(
        request,
        queryset,
        lambda i: administration.reset_password(cognito_username(i)),
        ngettext_lazy(
            "Password reset for %(count)d user.", "Password reset for %(count)d users.", "count"
        ),
    )


@admin.action(description=_("Sign out everywhere"), permissions=["change"])
def sign_out_everywhere(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    _each(
        request,
        queryset,
        lambda i: administration.sign_out_everywhere(cognito_username(i), i.sub),
        ngettext_lazy(
            "%(count)d user signed out everywhere.",
            "%(count)d users signed out everywhere.",
            "count",
        ),
    )


@admin.action(description=_("Add to the Cognito group"), permissions=["change"])
def add_to_group(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    _each_in_group(
        request,
        queryset,
        administration.add_to_group,
        ngettext_lazy(
            "%(count)d user added to %(group)s.", "%(count)d users added to %(group)s.", "count"
        ),
    )


@admin.action(description=_("Remove from the Cognito group"), permissions=["change"])
def remove_from_group(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    _each_in_group(
        request,
        queryset,
        administration.remove_from_group,
        ngettext_lazy(
            "%(count)d user removed from %(group)s.",
            "%(count)d users removed from %(group)s.",
            "count",
        ),
    )


COGNITO_ACTIONS = (
    disable_users,
    enable_users,
    reset_passwords,
    sign_out_everywhere,
    add_to_group,
    remove_from_group,
)


if TYPE_CHECKING:
    _IdentityAdmin = admin.ModelAdmin[CognitoIdentity]
else:  # Django's classes are not subscriptable at run time
    _IdentityAdmin = admin.ModelAdmin


@admin.register(CognitoIdentity)
class CognitoIdentityAdmin(_IdentityAdmin):
    list_display = ("sub", "user", "username", "synced_at")
    list_select_related = ("user",)
    search_fields = ("sub", "username", "user__email", "user__username")
    readonly_fields = ("user", "sub", "username", "issuer", "created_at", "synced_at")
    action_form = CognitoActionForm
    actions = COGNITO_ACTIONS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # links are made by signing in, from verified tokens only

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        found = super().get_actions(request)
        if not administration.enabled():
            for action in COGNITO_ACTIONS:
                found.pop(action.__name__, None)
        return found

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = dict(extra_context or {})
        identity = self.get_object(request, object_id)
        if identity is not None and administration.enabled():
            context.update(self.cognito_context(request, identity))
        return super().change_view(request, object_id, form_url, context)

    def cognito_context(self, request: HttpRequest, identity: CognitoIdentity) -> dict[str, Any]:
        """The user as Cognito sees it, for the change page (a failure becomes a message)."""
        try:
            user, groups = administration.describe(cognito_username(identity))
        except exc.CognitoFormsError as error:
            messages.error(request, admin_error(error))
            return {"cognito_unavailable": True}
        return {
            "cognito_user": user,
            "cognito_attributes": sorted(user.attributes.items()),
            "cognito_groups": groups,
        }
