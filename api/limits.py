"""The request-body limit, enforced before a handler reads the body."""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import JSONResponse

__all__ = ["BodyLimit"]


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, by the declared length at
    once or, for a body sent in chunks, as soon as it passes the limit."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return await _plain_error(send, 400, "bad_request", "Content-Length is not a number")
            if declared > self.limit:
                return await _plain_error(send, 413, "body_too_large", self._message())
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, detail=self._message())
            return message

        return await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"the request body is larger than the limit of {self.limit} bytes (KG_BODY_LIMIT)"


async def _plain_error(send, status: int, code: str, detail: str) -> None:
    body = JSONResponse({"detail": detail, "error": code}, status_code=status).body
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
