"""Branding without code: ``COGNITO_BRAND`` values checked and turned into CSS custom properties.

The content security policy forbids inline styles, so the values are served as a small
generated stylesheet (``/accounts/brand.css``) that ``layouts/base.html`` links after the app's
own stylesheet. Every value must match a strict pattern before it reaches the stylesheet: a
setting (or an environment variable behind it) can never inject CSS. Invalid values are left
out (the default look stays) and reported by the system check ``cognito_forms.W010``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

from .conf import app_settings

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_FAMILY = r"(?:\"[A-Za-z0-9 _-]{1,60}\"|'[A-Za-z0-9 _-]{1,60}'|[A-Za-z][A-Za-z0-9 _-]{0,60})"
_FONTS = re.compile(rf"{_FAMILY}(?:\s*,\s*{_FAMILY}){{0,9}}")
_LENGTH = re.compile(r"(?:0|\d{1,2}(?:\.\d{1,3})?(?:px|rem|em))")
# Logos: this site's own paths or https URLs; nothing that could close the attribute.
_LOGO = re.compile(r"(?:/[^\s\"'<>\\]*|https://[^\s\"'<>\\]+)")

#: Setting key -> (CSS custom property, pattern the value must match in full).
STYLE_KEYS: dict[str, tuple[str, re.Pattern[str]]] = {
    "primary_color": ("--cf-color-primary", _HEX),
    "primary_text_color": ("--cf-color-primary-text", _HEX),
    "text_color": ("--cf-color-text", _HEX),
    "muted_color": ("--cf-color-muted", _HEX),
    "background_color": ("--cf-color-background", _HEX),
    "surface_color": ("--cf-color-surface", _HEX),
    "error_color": ("--cf-color-error", _HEX),
    "border_color": ("--cf-color-border", _HEX),
    "font_family": ("--cf-font-family", _FONTS),
    "radius": ("--cf-radius", _LENGTH),
}
#: Keys that are not styles.
OTHER_KEYS = ("site_name", "logo_url", "logo_alt")


@dataclass(frozen=True)
class Brand:
    """The checked branding: what templates and the stylesheet use."""

    site_name: Any  # may be a lazy translation
    logo_url: str
    logo_alt: Any
    styles: tuple[tuple[str, str], ...]
    rejected: tuple[str, ...]

    @property
    def stylesheet(self) -> str:
        return _stylesheet(self.styles)

    @property
    def version(self) -> str:
        """A short digest of the stylesheet: its ETag and the ``?v=`` of its URL."""
        return hashlib.sha256(self.stylesheet.encode()).hexdigest()[:16]


def _valid(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 300 and pattern.fullmatch(value) is not None


@lru_cache(maxsize=32)
def _stylesheet(styles: tuple[tuple[str, str], ...]) -> str:
    lines = [f"  {prop}: {value};" for prop, value in styles]
    body = "\n".join(lines)
    return f"/* cognito-forms branding (COGNITO_BRAND) */\n:root {{\n{body}\n}}\n"


def current_brand() -> Brand:
    """The branding from settings, every value checked (invalid ones are left out)."""
    raw = app_settings.BRAND
    styles: list[tuple[str, str]] = []
    rejected: list[str] = []
    for key, (prop, pattern) in STYLE_KEYS.items():
        value = raw.get(key)
        if value in (None, ""):
            continue
        if _valid(pattern, value):
            styles.append((prop, str(value)))
        else:
            rejected.append(key)
    logo = raw.get("logo_url", "")
    if logo and not _valid(_LOGO, logo):
        rejected.append("logo_url")
        logo = ""
    rejected += sorted(k for k in raw if k not in STYLE_KEYS and k not in OTHER_KEYS)
    return Brand(
        site_name=raw.get("site_name", "") or "",
        logo_url=str(logo),
        logo_alt=raw.get("logo_alt", "") or "",
        styles=tuple(styles),
        rejected=tuple(rejected),
    )


def site_name() -> str:
    """The configured site name, or the default one (translated)."""
    return str(current_brand().site_name or DEFAULT_SITE_NAME)


DEFAULT_SITE_NAME = _("cognito-forms demo")
