"""Shared pieces of the command line: the services handle, JSON output, friendly errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from inspector_app.core.errors import InspectorError
from inspector_app.paths import resolve_home

if TYPE_CHECKING:
    from inspector_app.services.app import Services


class CliContext:
    """Holds ``--home`` and opens the services on first use (``--help`` never touches the database)."""

    def __init__(self, home: str | None) -> None:
        self.home_arg = home
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            from inspector_app.services.app import Services

            self._services = Services(resolve_home(self.home_arg).ensure())
        return self._services


pass_ctx = click.make_pass_decorator(CliContext)

json_option = click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供脚本使用）")


def emit_json(data: Any) -> None:
    """Print ``data`` as UTF-8 JSON (Chinese kept readable)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_table(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    """Plain aligned text table: ``columns`` = [(key, 中文表头)]."""
    rows = list(rows)
    click.echo("\t".join(title for _, title in columns))
    for row in rows:
        click.echo("\t".join("" if row.get(key) is None else str(row.get(key)) for key, _ in columns))


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into one Chinese line on stderr and exit 1 (never a traceback)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InspectorError as exc:
            fail(str(exc))
        except BrokenPipeError:  # output piped into `head` and closed early: not an error
            sys.stderr.close()
            sys.exit(0)
        except OSError as exc:
            from inspector_app.services.errors import os_error_message

            fail(os_error_message(exc))

    return wrapper


class ProgressBar:
    """A click progress bar fed by ``callback(done, total)`` from services (stderr, hidden with --json)."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
