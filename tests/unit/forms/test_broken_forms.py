"""Broken checklist files: each is refused with a message naming the file and the key path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.forms.errors import FormError
from inspector_app.forms.library import load_library, validate_paths
from inspector_app.paths import FORMS_DIR

BROKEN = Path(__file__).resolve().parents[2] / "data" / "broken_forms"
CASES = sorted(BROKEN.glob("*.yaml"))


def _expected(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: ")
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_broken_file_gets_exactly_its_expected_problem(path):
    problems = [str(p) for p in validate_paths([path])]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path.name}: ")
    assert _expected(path) in problems[0]


def test_the_valid_base_of_the_broken_files_is_itself_valid(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text((BROKEN / "valid_base.yaml.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert validate_paths([good]) == []


def test_cli_validate_exits_1_and_prints_one_line_per_problem():
    result = CliRunner().invoke(
        cli, ["forms", "validate", str(BROKEN / "unknown_type.yaml"), str(BROKEN / "empty_basis.yaml")]
    )
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines == [
        "unknown_type.yaml: sections[0].items[1].type: 未知的答案类型 'colour'（可用：tri, yesno, number, date, text, choice）",
        "empty_basis.yaml: sections[0].items[0].basis: 不能为空",
    ]
    assert "Traceback" not in result.output


def test_cli_validate_defaults_to_shipped_forms_and_exits_0():
    result = CliRunner().invoke(cli, ["forms", "validate"])
    assert result.exit_code == 0, result.output


def test_a_broken_file_in_a_forms_folder_stops_the_library_loading(tmp_path):
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    shutil.copy(BROKEN / "unknown_type.yaml", root / "food" / "xiao_canyin.yaml")
    with pytest.raises(FormError) as caught:
        load_library(root)
    assert "food/xiao_canyin.yaml: sections[0].items[1].type: 未知的答案类型 'colour'" in str(caught.value)


def test_two_files_with_the_same_id_and_version_are_refused(tmp_path):
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    shutil.copy(root / "food" / "stall.yaml", root / "food" / "stall_copy.yaml")
    with pytest.raises(FormError) as caught:
        load_library(root)
    assert "food/stall_copy.yaml: id: 检查表 food.stall 第2版 与 food/stall.yaml 重复" in str(caught.value)
