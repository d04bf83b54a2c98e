"""local_cognito: the embedded Cognito user pool for development and tests.

moto's cognito-idp, made to behave as the AWS Cognito API reference documents: real SRP,
codes in an outbox, token families with rotation and revocation, PreventUserExistenceErrors,
MFA challenges, and tokens signed with a key generated at start.
"""

from __future__ import annotations

from .facade import LocalCognito
from .ops import install
from .outbox import Message
from .seed import SeedResult

__all__ = ["LocalCognito", "Message", "SeedResult", "install"]
