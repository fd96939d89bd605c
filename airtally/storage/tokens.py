"""Write tokens for the API: create (shown once, only its hash stored), list, revoke, verify.

>>> from airtally.storage.database import open_database
>>> engine = open_database("sqlite://")
>>> token = create_token(engine, "newsroom")
>>> token_owner(engine, token)
'newsroom'
>>> revoke_token(engine, "newsroom"); token_owner(engine, token) is None
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from airtally.errors import AirtallyError, InvalidValue, NotFound
from airtally.storage.tables_tokens import api_tokens
from airtally.storage.transactions import write_transaction

PREFIX = "airtally_"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_BY_HASH = (sa.select(api_tokens.c.name)
            .where(api_tokens.c.token_hash == sa.bindparam("hash"), api_tokens.c.revoked_at.is_(None)))


def token_hash(token: str) -> str:
    """sha256 hex of the token: a token has 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise InvalidValue(f"bad token name {name!r}: use 1-100 letters, digits, '.', '_' or '-' (e.g. newsroom-bot)")
    return name


def create_token(engine: Engine, name: str) -> str:
    """A new token for ``name``; only its hash is stored, so this is the one time it is seen."""
    _check_name(name)
    token = PREFIX + secrets.token_urlsafe(32)
    row = dict(name=name, token_hash=token_hash(token), created_at=dt.datetime.now(dt.timezone.utc))
    try:
        with write_transaction(engine) as conn:
            conn.execute(api_tokens.insert().values(**row))
    except IntegrityError:
        raise AirtallyError(f"a token named {name!r} exists already (names stay taken after a revoke: "
                           "choose another, airtally token list shows them)") from None
    return token


def list_tokens(engine: Engine) -> list[dict]:
    """Every token's name, creation and revocation time (never the token or its hash)."""
    query = sa.select(api_tokens.c.name, api_tokens.c.created_at, api_tokens.c.revoked_at).order_by(api_tokens.c.id)
    with engine.connect() as conn:
        return [{"name": r.name, "created_at": _iso(r.created_at), "revoked_at": _iso(r.revoked_at),
                 "active": r.revoked_at is None} for r in conn.execute(query)]


def revoke_token(engine: Engine, name: str) -> None:
    """Refuse the token called ``name`` from now on (its row stays, with the time of the revoke)."""
    with write_transaction(engine) as conn:
        done = conn.execute(api_tokens.update()
                            .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
                            .values(revoked_at=dt.datetime.now(dt.timezone.utc))).rowcount
    if not done:
        raise NotFound(f"no active token named {name!r} (airtally token list shows them)")


def token_owner(engine: Engine, token: str) -> str | None:
    """The name of the active token ``token``, or None when it is unknown or revoked."""
    with engine.connect() as conn:
        return conn.execute(_BY_HASH, {"hash": token_hash(token)}).scalar()


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).isoformat()
