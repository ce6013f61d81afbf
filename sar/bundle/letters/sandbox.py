"""Rendering letter templates the DPO wrote, safely.

A template is hostile input: it is text typed into a web form. It is rendered in Jinja's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`, which refuses attributes starting with ``_``, internal
attributes of functions and frames, and methods that change data. On top of that:

* the environment has no loader (``{% include %}``, ``{% import %}`` and ``{% extends %}`` cannot read any file),
  no globals (no ``range``, ``cycler``, ``joiner``, ``lipsum``, ``namespace``, ``dict``), and no Flask objects
  (``config``, ``request``, ``g``, ``url_for`` do not exist here);
* the context is plain ``dict``/``list``/``str``/``int``/``bool`` only (sar.bundle.letters.context), so no
  attribute of anything reachable leads back to Python objects;
* undefined names are errors (:class:`~jinja2.StrictUndefined`), so a misspelt placeholder is reported instead of
  printing nothing in a letter;
* ``*`` and ``**`` are limited and the output length is capped, so a template cannot exhaust memory.

Every failure comes back as a :class:`TemplateProblem` with a message in plain words, never an exception page.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT_CHARS = 100_000
MAX_SOURCE_CHARS = 50_000
_MAX_REPEAT = 10_000  # the largest string or list a template may build with *


class TemplateProblem(ValueError):
    """The template cannot be used; ``line`` is its line number when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class _LetterSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 100:
                raise SecurityError("a power that large is not allowed in a letter")
            return operator.pow(left, right)
        for size, times in ((left, right), (right, left)):
            if isinstance(size, str | list | tuple) and isinstance(times, int) and len(size) * times > _MAX_REPEAT:
                raise SecurityError("repeating text that many times is not allowed in a letter")
        return operator.mul(left, right)


def _environment() -> _LetterSandbox:
    environment = _LetterSandbox(
        loader=None, undefined=StrictUndefined, autoescape=False, trim_blocks=False, lstrip_blocks=True
    )
    environment.globals.clear()
    return environment


_ENV = _environment()


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _plain(error: Exception, where: str) -> TemplateProblem:
    if isinstance(error, TemplateSyntaxError):
        line = error.lineno
        return TemplateProblem(
            f"The {where} has a mistake on line {line}: {error.message}. Check that every {{{{ has a matching }}}}, "
            "every {% if %} has an {% endif %} and every {% for %} an {% endfor %}.",
            line,
        )
    if isinstance(error, SecurityError):
        return TemplateProblem(
            f"The {where} tries to reach something letters are not allowed to use ({error}). "
            "Use only the placeholders listed on this page."
        )
    if isinstance(error, UndefinedError):
        return TemplateProblem(
            f"The {where} uses a placeholder that does not exist ({error.message}). "
            "Check its spelling against the placeholders listed on this page."
        )
    if isinstance(error, TemplateNotFound) or "no loader" in str(error).lower():
        return TemplateProblem(
            f"The {where} tries to include another file. Letters cannot include, import or extend other files: "
            "write the text in the letter itself."
        )
    return TemplateProblem(f"The {where} could not be used: {error}. Check the placeholders and the tags.")


def check_syntax(source: str, *, where: str = "letter text") -> None:
    """Raise :class:`TemplateProblem` if ``source`` is not a template that can be compiled."""
    if len(source) > MAX_SOURCE_CHARS:
        raise TemplateProblem(f"The {where} is too long: at most {MAX_SOURCE_CHARS:,} characters.")
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as error:
        raise _plain(error, where) from error
    # No loader means these could never read a file anyway; refusing them when the template is saved says why.
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise TemplateProblem(
            f"The {where} tries to include another file (line {node.lineno}). Letters cannot include, import or "
            "extend other files: write the text in the letter itself.",
            node.lineno,
        )


def render_text(source: str, context: Mapping[str, Any], *, where: str = "letter text") -> str:
    """Render one template string with a plain-data context; :class:`TemplateProblem` on any failure."""
    check_syntax(source, where=where)
    try:
        output = _render_capped(source, context, where)
    except TemplateProblem:
        raise
    except (TemplateError, SecurityError) as error:
        raise _plain(error, where) from error
    except (TypeError, ValueError, ArithmeticError, LookupError, RecursionError) as error:
        # Mistakes in expressions ({{ 1 / 0 }}, {{ case.reference + 1 }}) are the author's, not the service's.
        raise TemplateProblem(
            f"The {where} could not be worked out: {type(error).__name__.lower()} ({error}). Check the expressions "
            "between {{ and }}."
        ) from error
    return output


def _render_capped(source: str, context: Mapping[str, Any], where: str) -> str:
    """Render piece by piece, stopping as soon as the output is too long (nested loops could build gigabytes)."""
    pieces: list[str] = []
    size = 0
    for piece in _ENV.from_string(source).generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateProblem(f"The {where} produces more than {MAX_OUTPUT_CHARS:,} characters. Shorten it.")
        pieces.append(piece)
    return "".join(pieces)


def render_letter(subject: str, body: str, context: Mapping[str, Any]) -> Rendered:
    rendered_subject = " ".join(render_text(subject, context, where="subject line").split())
    if not rendered_subject:
        raise TemplateProblem("The subject line comes out empty for this case. Give the letter a subject.")
    return Rendered(subject=rendered_subject[:300], body=render_text(body, context).strip())
