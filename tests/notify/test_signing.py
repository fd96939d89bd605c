"""Standard Webhooks signing: the specification's test vector, and airtally's signatures checked
by the receiver's independent computation."""

from __future__ import annotations

import pytest

from airtally.errors import InvalidValue
from airtally.notify.signing import headers, new_secret, sign
from tests.notify.receiver import expected_signature

# https://github.com/standard-webhooks/standard-webhooks (the libraries' shared test vector)
VECTOR = {"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "message_id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
          "timestamp": 1614265330, "body": b'{"test": 2432232314}',
          "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}


def test_the_standard_webhooks_test_vector():
    assert sign(VECTOR["secret"], VECTOR["message_id"], VECTOR["timestamp"], VECTOR["body"]) == VECTOR["signature"]
    assert expected_signature(VECTOR["secret"], VECTOR["message_id"], str(VECTOR["timestamp"]),
                              VECTOR["body"]) == VECTOR["signature"]


@pytest.mark.parametrize("body", [b"{}", '{"type":"threat.created","data":{"text":"Загроза"}}'.encode()])
def test_a_fresh_secret_signs_what_the_receiver_verifies(body):
    secret = new_secret()
    signed = headers(secret, "42", 1700000000, body)
    assert signed["webhook-id"] == "42" and signed["webhook-timestamp"] == "1700000000"
    assert signed["webhook-signature"] == expected_signature(secret, "42", "1700000000", body)
    assert new_secret() != secret


@pytest.mark.parametrize("secret", ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!"])
def test_a_malformed_secret_is_a_clear_error(secret):
    with pytest.raises(InvalidValue, match="secret"):
        sign(secret, "1", 1, b"{}")
