"""One error type for HTTP answers, and the one handler that turns every failure into a status and a message.

Routes raise HttpError (or let InputError, FormatError, ParameterError and StoreError through); nothing returns an
error response by hand. People get the message as text, or as a page when their browser asks for HTML; nobody
gets a traceback, and only a bug of ours is a 500.
"""

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from currigraph.courses.submission import UnsupportedMediaType
from currigraph.errors import InputError
from currigraph.formats import HTML, TEXT, FormatError, negotiate
from currigraph.named_queries import ParameterError
from currigraph.remote.client import StoreError


class HttpError(Exception):
    """An answer other than success: its status, a message for people, and headers it needs (WWW-Authenticate, Allow)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def status_of(err: Exception) -> int:
    """The HTTP status a failure is answered with."""
    if isinstance(err, HttpError | FormatError | StoreError):
        return err.status
    if isinstance(err, UnsupportedMediaType):
        return 415
    if isinstance(err, InputError | ParameterError):
        return 400
    if isinstance(err, HTTPException):
        return err.code or 500
    return 500


def plain(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A text/plain answer with a message for people."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers=headers)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The answer to a failure: a page when a browser prefers HTML, otherwise the message as text."""
    try:
        wants_page = negotiate((TEXT, HTML), request.headers.get("Accept", "")) is HTML
    except FormatError:
        wants_page = False
    if wants_page and "format" not in request.args:
        body = render_template("error.html", status=status, message=message)
        return Response(body, status=status, mimetype="text/html", headers=headers)
    return plain(status, message, headers)


def install(app: Flask) -> None:
    """Register the one error handler for everything a request can raise."""

    @app.errorhandler(HttpError)
    @app.errorhandler(FormatError)
    @app.errorhandler(StoreError)
    @app.errorhandler(InputError)
    @app.errorhandler(ParameterError)
    def known(err: Exception) -> Response:
        return error_response(status_of(err), str(err), getattr(err, "headers", None))

    @app.errorhandler(HTTPException)
    def http_exception(err: HTTPException) -> Response:
        messages = {413: f"request body too large: the limit is {app.config['MAX_BODY_BYTES']} bytes",
                    404: f"not found: {request.path}", 405: f"method {request.method} is not allowed on {request.path}"}
        headers = {"Allow": err.get_response().headers["Allow"]} if err.code == 405 else None
        return error_response(err.code or 500, messages.get(err.code or 0, f"{err.name}: {err.description}"), headers)

    @app.errorhandler(Exception)
    def bug(err: Exception) -> Response:
        current_app.logger.exception("unhandled error")
        return plain(500, f"internal error ({type(err).__name__}); the request was not carried out")
