"""Who may write: a bearer token of ``airtally token create``; and the limits on writers.

Reading is public. A missing, unknown or revoked token is 401 (with ``WWW-Authenticate:
Bearer``). No cookies: a page sends the token itself, so there is no session to forge.
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from airtally.api.limits import client_address
from airtally.storage.tokens import token_owner

bearer = HTTPBearer(auto_error=False, description="A token made by `airtally token create NAME`.")


def caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> str | None:
    """The name of the caller's token; None without one; 401 for a wrong or revoked one."""
    if credentials is None:
        return None
    name = token_owner(request.app.state.database.engine, credentials.credentials)
    if name is None:
        raise HTTPException(401, "the token is unknown or revoked (airtally token list shows the active ones)",
                            headers={"WWW-Authenticate": "Bearer"})
    return name


def writer(request: Request, name: str | None = Depends(caller)) -> str:
    """The name of the token a write comes with: 401 without one, 429 past the per-token limit."""
    if name is None:
        raise HTTPException(401, "writing needs a token: send 'Authorization: Bearer <token>' "
                                 "(made by airtally token create NAME)", headers={"WWW-Authenticate": "Bearer"})
    _limit(request.app.state.write_limiter, f"token:{name}")
    return name


def extract_limit(request: Request) -> str:
    """The client's address, after counting it against the per-address limit of /api/extract."""
    address = client_address(request, request.app.state.settings.forwarded_allow_ips)
    _limit(request.app.state.extract_limiter, f"addr:{address}")
    return address


def _limit(limiter, key: str) -> None:
    wait = limiter.hit(key)
    if wait is not None:
        raise HTTPException(429, f"too many requests: at most {limiter.per_minute} a minute; retry in {wait} s",
                            headers={"Retry-After": str(wait)})
