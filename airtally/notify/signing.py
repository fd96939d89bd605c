"""Standard Webhooks signing (https://www.standardwebhooks.com): a ``whsec_`` secret, and the
``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` headers of a message.

The signature is ``v1,`` + base64 of HMAC-SHA256 over ``id.timestamp.body``, keyed with the
base64-decoded part of the secret after ``whsec_`` (the specification's own test vector):

>>> sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
...      b'{"test": 2432232314}')
'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
>>> new_secret().startswith("whsec_")
True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from airtally.errors import InvalidValue

PREFIX = "whsec_"
SECRET_BYTES = 24  # 192 bits (the specification asks for 24 to 64 bytes)


def new_secret() -> str:
    """A fresh random secret, ``whsec_`` + base64 of 24 random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret; InvalidValue when it is not one."""
    if not secret.startswith(PREFIX):
        raise InvalidValue(f"a webhook secret starts with {PREFIX!r} (got {secret[:8]!r}...)")
    try:
        return base64.b64decode(secret[len(PREFIX):], validate=True)
    except binascii.Error:
        raise InvalidValue("the webhook secret after 'whsec_' is not base64") from None


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one message."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers of a message."""
    return {"webhook-id": message_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, message_id, timestamp, body)}
