"""The README documents every command, and its generated CLI reference is current."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newsarc.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
USAGE = README.split("## CLI reference")[0]
COMMANDS = sorted(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_usage_example_in_the_readme(name: str) -> None:
    assert f"newsarc {name} " in USAGE, f"README usage never shows `newsarc {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_help_has_a_summary_and_an_example(name: str) -> None:
    command = cli.commands[name]  # type: ignore[attr-defined]
    assert command.help and command.help.strip().splitlines()[0].endswith(".")
    assert "Example" in command.help
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            assert sub.help and "Example" in sub.help, sub.name


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_reference_is_current(name: str) -> None:
    output = CliRunner().invoke(cli, [name, "--help"]).output
    assert output in README, f"run `cog -r README.md`: the help of {name} changed"


def test_quick_start_has_exactly_two_commands() -> None:
    quick = README.split("## Quick start")[1].split("\n## ")[0]
    block = quick.split("```bash")[1].split("```")[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "newsarc fetch" in commands[0] and "newsarc search" in commands[0]
    assert "pytest" in commands[1]
