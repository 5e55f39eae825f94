"""The top-level command: ``--home`` before or after a command, ``INSPECTOR_HOME``."""

from __future__ import annotations

import json

from click.testing import CliRunner

from inspector_app.cli.main import cli


def _home_of(args, env=None):
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["home"]


def test_home_before_the_command(tmp_path):
    assert _home_of(["--home", str(tmp_path / "a"), "init", "--json"]) == str(tmp_path / "a")


def test_home_after_the_command(tmp_path):
    assert _home_of(["init", "--json", "--home", str(tmp_path / "b")]) == str(tmp_path / "b")


def test_inspector_home_environment_variable(tmp_path):
    assert _home_of(["init", "--json"], env={"INSPECTOR_HOME": str(tmp_path / "c")}) == str(tmp_path / "c")


def test_a_subcommand_home_wins_over_the_environment(tmp_path):
    env = {"INSPECTOR_HOME": str(tmp_path / "env")}
    assert _home_of(["init", "--json", "--home", str(tmp_path / "flag")], env=env) == str(tmp_path / "flag")
