"""统一社会信用代码 (GB 32100) validation and normalisation on real and altered codes."""

from __future__ import annotations

import pytest

from inspector_app.core.identifiers import (
    USCC_ALPHABET,
    is_valid_uscc,
    make_uscc,
    normalize_code,
    uscc_check_char,
    uscc_problem,
)

REAL_CODES = ["91350100M000100Y43", "9144030071526726XG"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_other_check_character_is_refused_with_the_expected_one_named(code: str) -> None:
    for wrong in USCC_ALPHABET:
        if wrong == code[17]:
            continue
        problem = uscc_problem(code[:17] + wrong)
        assert problem is not None and "校验位" in problem and code[17] in problem


@pytest.mark.parametrize("position", [0, 5, 10, 16])
def test_changing_one_body_character_breaks_the_check(position: int) -> None:
    code = REAL_CODES[1]
    replacement = "1" if code[position] != "1" else "2"
    altered = code[:position] + replacement + code[position + 1 :]
    assert uscc_problem(altered) is not None


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_i_o_s_v_z_are_never_allowed(letter: str) -> None:
    code = REAL_CODES[0][:10] + letter + REAL_CODES[0][11:]
    problem = uscc_problem(code)
    assert problem is not None and letter in problem


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433", "9135"])
def test_wrong_lengths_are_invalid_and_say_so(code: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and "18位" in problem


def test_region_part_must_be_digits() -> None:
    stem = "91A50100M000100Y4"
    assert uscc_problem(stem + uscc_check_char(stem)) is not None


@pytest.mark.parametrize(
    "raw",
    [
        " 91350100M000100Y43 ",
        "91350100m000100y43",
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width digits and letters
        "9135 0100 M000 100Y 43",
        "\t９１３５０１００ｍ０００１００ｙ４３\n",
    ],
)
def test_normalisation_trims_upper_cases_and_converts_full_width(raw: str) -> None:
    assert normalize_code(raw) == "91350100M000100Y43"
    assert is_valid_uscc(raw)


def test_make_uscc_completes_a_stem_with_a_valid_check_character() -> None:
    code = make_uscc("91420802MA4000001")
    assert len(code) == 18 and uscc_problem(code) is None
