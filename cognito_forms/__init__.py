"""cognito-forms: an AWS Cognito user pool behind a Django site's own forms."""

from __future__ import annotations

__version__ = "0.1.0"
