"""Every CLI command (and sub-command) is documented in the README, and every documented command exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from flows.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def command_paths(cli: typer.Typer) -> list[str]:
    """`gridscout NAME` for each command and `gridscout GROUP NAME` for each command of a sub-group."""
    root = get_command(cli)
    paths: list[str] = []

    def walk(cmd: object, prefix: str) -> None:
        sub = getattr(cmd, "commands", None)
        if not sub:
            paths.append(prefix)
            return
        for name, child in sorted(sub.items()):
            if not getattr(child, "hidden", False):
                walk(child, f"{prefix} {name}")

    walk(root, "gridscout")
    return paths


COMMANDS = command_paths(app)


def test_the_cli_has_the_core_commands() -> None:
    for expected in ("gridscout demo", "gridscout run", "gridscout serve"):
        assert expected in COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_command_appears_in_readme(command: str) -> None:
    text = README.read_text(encoding="utf-8")
    assert re.search(rf"(?<![\w-]){re.escape(command)}(?![\w-])", text), f"`{command}` is not in README.md"


def code_in(markdown: str) -> str:
    """The README's fenced code blocks and inline code spans (where commands are written)."""
    fenced = re.findall(r"```[^\n]*\n(.*?)```", markdown, flags=re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", markdown, flags=re.S))
    return "\n".join(fenced + inline)


def test_readme_mentions_no_unknown_command() -> None:
    code = code_in(README.read_text(encoding="utf-8"))
    tops = {c.split()[1] for c in COMMANDS}
    used = set(re.findall(r"(?<![\w/.-])gridscout ([a-z][a-z-]*)", code))
    assert used <= tops, f"README uses commands the CLI lacks: {sorted(used - tops)}"
