"""Fuzzing the two places that read files users bring: checklist YAML and registry spreadsheets.

Whatever the bytes, the result is a list of problems (forms) or a report / a Chinese InspectorError (registry) —
never another exception, and a refused registry file changes nothing. The default run uses few examples; the
soak run (``-m slow``) uses many.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.core.errors import InspectorError
from inspector_app.forms.library import validate_paths

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
keys = st.sampled_from(
    ["id", "version", "title", "family", "sections", "items", "code", "text", "basis", "type", "show_if",
     "item", "equals", "choices", "value", "min", "max", "include", "applies_to", "key", "colour"]
)  # fmt: skip
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)
HEADER = "统一社会信用代码,主体名称,主体类型,经营地址,联系电话,风险等级\n"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


def _check_form_document(tmp_path, data):
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = validate_paths([path])
    assert all(str(p).startswith("fuzz.yaml") for p in problems)


def _check_form_bytes(tmp_path, raw):
    path = tmp_path / "raw.yaml"
    path.write_bytes(raw)
    for problem in validate_paths([path]):
        assert str(problem).startswith("raw.yaml")


def _check_registry(services, tmp_path, body):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(body)
    before = services.registry.count()
    try:
        services.registry.import_file(path)
    except InspectorError as exc:
        assert str(exc)
        assert services.registry.count() == before


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SOAK = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(data=documents)
def test_any_yaml_document_gives_problems_not_exceptions(tmp_path, data):
    _check_form_document(tmp_path, data)


@FAST
@given(raw=st.binary(max_size=400))
def test_any_bytes_as_a_form_file_give_problems_not_exceptions(tmp_path, raw):
    _check_form_bytes(tmp_path, raw)


@FAST
@given(
    rows=st.lists(st.lists(cells, min_size=0, max_size=7), max_size=6),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]),
)
def test_any_registry_csv_gives_a_report_or_a_clear_refusal(services, tmp_path, rows, encoding):
    text = HEADER + "\n".join(",".join(row) for row in rows)
    _check_registry(services, tmp_path, text.encode(encoding, errors="replace"))


@pytest.mark.slow
@SOAK
@given(data=documents)
def test_soak_yaml_documents(tmp_path, data):
    _check_form_document(tmp_path, data)


@pytest.mark.slow
@SOAK
@given(raw=st.binary(max_size=2000))
def test_soak_form_bytes(tmp_path, raw):
    _check_form_bytes(tmp_path, raw)


@pytest.mark.slow
@SOAK
@given(body=st.binary(max_size=2000))
def test_soak_registry_bytes(services, tmp_path, body):
    _check_registry(services, tmp_path, body)
