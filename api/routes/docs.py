"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), with their
scripts and styles served from here: installed with the product (the ``fastapi-offline``
package ships them), so the pages work with no network."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response

__all__ = ["router", "ASSETS"]

router = APIRouter(include_in_schema=False)

_PREFIX = "/docs/assets"
#: file name → media type of what the pages load
ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
          "redoc.standalone.js": "text/javascript", "favicon.png": "image/png"}


# ReDoc's menu shows its maker's logo from their server; the page must ask nothing of
# another machine, so the logo's address is replaced by an empty image.
_OUTSIDE = {"redoc.standalone.js": ((b"https://cdn.redoc.ly/redoc/logo-mini.svg",
                                     b"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"),)}


@lru_cache(maxsize=None)
def _asset(name: str) -> bytes:
    data = resources.files("fastapi_offline").joinpath("static", name).read_bytes()
    for outside, inside in _OUTSIDE.get(name, ()):
        data = data.replace(outside, inside)
    return data


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    app = request.app
    # validatorUrl off: Swagger UI would otherwise send the description to an outside validator
    return get_swagger_ui_html(openapi_url=root + app.openapi_url, title=app.title + " – API",
                               oauth2_redirect_url=root + "/docs/oauth2-redirect",
                               swagger_js_url=f"{root}{_PREFIX}/swagger-ui-bundle.js",
                               swagger_css_url=f"{root}{_PREFIX}/swagger-ui.css",
                               swagger_favicon_url=f"{root}{_PREFIX}/favicon.png",
                               swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True})


@router.get("/docs/oauth2-redirect")
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(openapi_url=root + request.app.openapi_url, title=request.app.title + " – API",
                          redoc_js_url=f"{root}{_PREFIX}/redoc.standalone.js",
                          redoc_favicon_url=f"{root}{_PREFIX}/favicon.png", with_google_fonts=False)


@router.get(_PREFIX + "/{name}")
def docs_asset(name: Annotated[str, Path()]) -> Response:
    if name not in ASSETS:
        raise HTTPException(404, f"no file {name!r} here; there is {', '.join(sorted(ASSETS))}")
    return Response(_asset(name), media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})
