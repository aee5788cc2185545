"""Whether an image's entry point is Lambda's runtime interface, which runs the command as the handler.

The AWS base images start `/lambda-entrypoint.sh`, which hands its argument (the `CMD`, or the
command a declaration overrides it with) to the runtime interface client as the handler. A
declaration or Dockerfile may set the entry point again:

- to Lambda's own (`/lambda-entrypoint.sh`, `python -m awslambdaric`, `npx aws-lambda-ric`): the
  command is still the handler;
- to nothing (`ENTRYPOINT [""]`) or to a program (`python3 job.py`, `gunicorn app:app`): the image
  is a build environment, an ECS task or a CI job built on a Lambda image, and the command is that
  program's arguments; such a Dockerfile deploys no function of its own;
- to a script of the repository (`./entrypoint.sh`): it often wraps the runtime interface (the
  emulator locally, the client in Lambda), which static reading cannot tell apart.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from enum import Enum
from typing import Sequence

MAX_WORDS = 50


class EntryPoint(Enum):
    """What an image's entry point runs."""

    LAMBDA = "lambda"       # Lambda's runtime interface: the command is the handler
    PROGRAM = "program"     # another program, or none: the image is not a function's
    SCRIPT = "script"       # a script or binary that may wrap the runtime interface


# The runtime interface: the base images' launcher and the runtime interface clients.
_LAUNCHER = "lambda-entrypoint.sh"
_RUNTIME_CLIENTS = frozenset({"awslambdaric", "aws-lambda-ric", "aws_lambda_ric"})
# Programs that run something other than a handler when they are the entry point.
_PROGRAMS = re.compile(
    r"(?:python|pypy)(?:\d+(?:\.\d+)?)?|node|nodejs|deno|bun|java|ruby|php|perl|dotnet|"
    r"uvicorn|gunicorn|hypercorn|daphne|flask|streamlit|celery|npm|npx|yarn|pnpm|uv|poetry|pipenv"
)
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})


def entry_point_words(arguments: str) -> list[str] | None:
    """The words of an `ENTRYPOINT` instruction: its exec form's list, or its shell form's command
    (which Docker runs with `/bin/sh -c`). None when they cannot be read."""
    text = arguments.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if not isinstance(value, list):
            return None
        return [str(item) for item in value[:MAX_WORDS]]
    return _split(text)


def classify(words: Sequence[object] | None) -> EntryPoint:
    """What an entry point written as `words` runs (see the module's docstring)."""
    if words is None:
        return EntryPoint.SCRIPT
    texts = [str(word).strip() for word in list(words)[:MAX_WORDS]]
    texts = [text for text in texts if text]
    if not texts:
        return EntryPoint.PROGRAM          # `ENTRYPOINT [""]`: nothing starts the runtime interface
    if _names_runtime_interface(texts):
        return EntryPoint.LAMBDA
    program = posixpath.basename(texts[0])
    if program in _SHELLS:
        rest = texts[1:]
        if rest[:1] == ["-c"] and len(rest) >= 2:
            inner = _split(rest[1])
            if inner is not None and inner and _names_runtime_interface(inner):
                return EntryPoint.LAMBDA
            return EntryPoint.PROGRAM if inner and _PROGRAMS.fullmatch(posixpath.basename(inner[0])) \
                else EntryPoint.SCRIPT
        return EntryPoint.SCRIPT          # `bash /entrypoint.sh`: a script
    if program == "env" and len(texts) > 1:
        return classify([text for text in texts[1:] if "=" not in text])
    return EntryPoint.PROGRAM if _PROGRAMS.fullmatch(program) else EntryPoint.SCRIPT


def runs_command_as_handler(entry_point: object) -> bool:
    """Whether a declaration's command override names the handler under `entry_point` (None when
    the declaration sets none: the image's own, Lambda's on an AWS base image)."""
    if entry_point is None:
        return True
    if isinstance(entry_point, str):
        words = _split(entry_point)
    elif isinstance(entry_point, (list, tuple)):
        words = [str(word) for word in entry_point]
    else:
        return False
    return classify(words) is EntryPoint.LAMBDA


def handler_argument(words: Sequence[str]) -> str | None:
    """The handler a Lambda entry point is given itself (`/lambda-entrypoint.sh app.handler`, the
    shell form ignoring any `CMD`), as written; None when it takes the command's."""
    for index, word in enumerate(words[:-1]):
        if posixpath.basename(word) == _LAUNCHER or posixpath.basename(word) in _RUNTIME_CLIENTS:
            return words[index + 1]
    return None


def _names_runtime_interface(words: Sequence[str]) -> bool:
    return any(posixpath.basename(word) == _LAUNCHER or posixpath.basename(word) in _RUNTIME_CLIENTS
               for word in words)


def _split(text: str) -> list[str] | None:
    try:
        return shlex.split(text, comments=False, posix=True)[:MAX_WORDS]
    except ValueError:
        return None


__all__ = ["EntryPoint", "classify", "entry_point_words", "handler_argument", "runs_command_as_handler"]
