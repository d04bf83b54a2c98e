"""What an operation receives and returns; the handler modules import only this from ``ops``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Call:
    """One API request as our operations see it: the Cognito action and its JSON parameters."""

    action: str
    params: dict[str, Any]

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


#: A handler: the response body (``None`` for an empty one), or a ``CognitoError`` raised.
Operation = Callable[[Call], dict[str, Any] | None]
