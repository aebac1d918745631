"""Asking for what ``complaints log`` was not given: one question at a time, each answer
checked as it is given.

Before: the answers were checked only after the last prompt (a bad date threw away everything
typed), the date received was never asked (it silently became today) and Ctrl-C printed
"--address is required", which read like a fault. Now each answer is read by the same function
the option is read by (:mod:`complaints_cli.domain.intake`, :mod:`complaints_cli.domain.text`)
and asked again, with the reason, when it is wrong; Ctrl-C cancels with "cancelled; nothing was
saved" (exit 130); an input that ends (a closed pipe) is the one-line error it always was.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

import typer

from complaints_cli.errors import ComplaintsError, ExitCode

__all__ = ["Question", "ask"]

T = TypeVar("T")


class Question:
    """One thing to ask: its option name, the prompt, and the reader that checks an answer."""

    def __init__(
        self,
        option: str,
        prompt: str,
        read: Callable[[str], object],
        *,
        default: str | None = None,
        optional: bool = False,
    ) -> None:
        self.option, self.prompt, self.read = option, prompt, read
        self.default, self.optional = default, optional


def _line(prompt: str) -> str:
    """One line from stdin after ``prompt``; Ctrl-C (while the prompt is written or the
    answer awaited) cancels; the end of input raises :class:`EOFError`."""
    try:
        typer.echo(prompt, nl=False)
        line = sys.stdin.readline()
    except KeyboardInterrupt:
        typer.echo("", err=True)
        raise ComplaintsError(
            "cancelled; nothing was saved", exit_code=ExitCode.INTERRUPTED
        ) from None
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def ask(question: Question, *, suggest: Callable[[str], str | None] | None = None) -> str:
    """Ask until the answer reads (``question.read`` raises no :class:`ComplaintsError`).

    The default is shown in brackets and taken on Enter; an optional question takes Enter as
    no answer (``""``). ``suggest`` may return a note for an answer that reads but looks like
    a typo ("Sam Patl is new to the log; did you mean Sam Patel?"): the question is asked once
    more with that answer as the default. Returns the answer as typed (the caller reads it
    again with the same function, so one reader owns each value).
    """
    shown = f" [{question.default}]" if question.default else ""
    shown += " (Enter to skip)" if question.optional and not question.default else ""
    confirmed: str | None = None
    while True:
        try:
            answer = _line(f"{question.prompt}{shown}: ").strip()
        except EOFError:
            if question.optional:
                return ""  # the input ended: an optional answer is simply not given
            raise ComplaintsError(
                f"{question.option} is required (no answer could be read; give it as an option)"
            ) from None
        if not answer and question.default:
            answer = question.default
        if not answer and question.optional:
            return ""
        try:
            question.read(answer)
        except ComplaintsError as problem:
            typer.echo(f"  {problem}; try again", err=True)
            continue
        note = suggest(answer) if suggest is not None and answer != confirmed else None
        if note:
            typer.echo(f"  {note}: press Enter to keep {answer!r}, or type it again", err=True)
            shown, question.default, confirmed = f" [{answer}]", answer, answer
            continue
        return answer


def handler_note(known: Sequence[str]) -> Callable[[str], str | None]:
    """A typo check for a handler's name: a name close to, but not, one the log knows."""
    from complaints_cli.domain.filters import new_person_near

    def note(answer: str) -> str | None:
        close = new_person_near(answer, known)
        return f"{answer!r} is new to the log; did you mean {close}?" if close else None

    return note


def today_default(today: date) -> str:
    """Today as the date-received question shows it."""
    return f"{today:%d/%m/%Y}"
