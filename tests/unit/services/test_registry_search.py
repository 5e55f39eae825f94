"""Registry search through the service: 1/2/4-character names, USCC prefixes, pinyin initials, ranking."""

from __future__ import annotations

import pytest

from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.registry import Business, BusinessKind
from inspector_app.services.app import Services
from inspector_app.services.registry import RegistryService
from inspector_app.services.support.initials import initials

NAMES = [
    "红山大酒店",
    "荆门红山大酒店有限公司",
    "东宝区红星超市",
    "山红小吃店",
    "红",
    "钟祥市长寿镇乐乐超市",
    "京山市中国银行食堂",
    "掇刀区美丽人生理发店",
]


def uscc(n: int, region: str = "420802") -> str:
    return make_uscc(f"91{region}MA4{n:06d}")


@pytest.fixture
def registry(services: Services) -> RegistryService:
    registry = services.registry
    for n, name in enumerate(NAMES):
        registry.upsert(Business(uscc=uscc(n), name=name, kind=BusinessKind.SMALL_CATERING))
    registry.upsert(Business(uscc=uscc(1, "420881"), name="钟祥小吃店", kind=BusinessKind.SMALL_CATERING))
    return registry


def names(found: list[Business]) -> list[str]:
    return [b.name for b in found]


def test_one_character_query_finds_every_name_containing_it(registry: RegistryService) -> None:
    assert set(names(registry.search("红"))) == {n for n in NAMES if "红" in n}
    assert set(names(registry.search("乐"))) == {"钟祥市长寿镇乐乐超市"}


def test_two_character_query_finds_substrings_only(registry: RegistryService) -> None:
    assert set(names(registry.search("红山"))) == {"红山大酒店", "荆门红山大酒店有限公司"}
    assert set(names(registry.search("超市"))) == {"东宝区红星超市", "钟祥市长寿镇乐乐超市"}
    assert registry.search("山大") != [] and registry.search("大山") == []


def test_four_character_query_finds_substrings(registry: RegistryService) -> None:
    assert set(names(registry.search("红山大酒"))) == {"红山大酒店", "荆门红山大酒店有限公司"}
    assert names(registry.search("美丽人生")) == ["掇刀区美丽人生理发店"]
    assert registry.search("红山小吃") == []


def test_uscc_prefix_and_full_code_find_the_business(registry: RegistryService) -> None:
    assert names(registry.search("91420881")) == ["钟祥小吃店"]
    assert len(registry.search("91420802")) == len(NAMES)
    assert names(registry.search(uscc(3))) == ["山红小吃店"]


def test_uscc_query_is_normalised(registry: RegistryService) -> None:
    code = uscc(3)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert names(registry.search(f" {full_width} ")) == ["山红小吃店"]


def test_pinyin_initials_find_the_business(registry: RegistryService) -> None:
    assert names(registry.search("hsdj"))[0] == "红山大酒店"
    assert "荆门红山大酒店有限公司" in names(registry.search("hsdj"))  # initials substring, 3+ letters
    assert names(registry.search("HSDJD"))[0] == "红山大酒店"
    assert "钟祥市长寿镇乐乐超市" in names(registry.search("zxszs"))


def test_initials_follow_phrase_readings_of_polyphonic_characters() -> None:
    assert initials("钟祥市长寿镇") == "zxszsz"
    assert initials("长沙银行") == "csyh"
    assert initials("京山市中国银行食堂") == "jsszgyhst"
    assert initials("7-11便利店（ＫＴＶ）") == "711bldktv"


def test_ranking_puts_exact_before_prefix_before_substring(registry: RegistryService) -> None:
    assert names(registry.search("红"))[0] == "红"
    found = names(registry.search("红山大酒店"))
    assert found == ["红山大酒店", "荆门红山大酒店有限公司"]
    prefix_first = names(registry.search("红山"))
    assert prefix_first.index("红山大酒店") < prefix_first.index("荆门红山大酒店有限公司")
    mixed = names(registry.search("红"))
    assert mixed.index("红山大酒店") < mixed.index("山红小吃店")


def test_limit_is_respected_and_results_are_unique(registry: RegistryService) -> None:
    assert len(registry.search("店", limit=2)) == 2
    found = registry.search_ids("红", limit=50)
    assert len(found) == len(set(found))


def test_search_ids_returns_usccs_best_first(registry: RegistryService) -> None:
    assert registry.search_ids("红山大酒店") == [uscc(0), uscc(1)]


ODD_NAMES = ['"老王"面馆', "100%鲜榨果汁店", "A_B便利店"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", []),
        ("   ", []),
        ("*", []),
        ("a OR b", []),
        ("NEAR(", []),
        ('红"山', []),
        ('"', ['"老王"面馆']),
        ('"老王"', ['"老王"面馆']),
        ("%", []),  # as a LIKE pattern it would match every name
        ("_", []),
        ("100%", ["100%鲜榨果汁店"]),
        ("A_B", ["A_B便利店"]),
    ],
)
def test_odd_queries_are_taken_literally(registry: RegistryService, query: str, expected: list[str]) -> None:
    """Quotes, FTS operators and LIKE wildcards are plain text: never everything, never a syntax error."""
    for n, name in enumerate(ODD_NAMES, start=20):
        registry.upsert(Business(uscc=uscc(n), name=name, kind=BusinessKind.FOOD_RETAIL))
    assert names(registry.search(query)) == expected


def test_get_normalises_the_code_and_unknown_codes_raise_not_found(registry: RegistryService) -> None:
    assert registry.get(uscc(0).lower()).name == "红山大酒店"
    with pytest.raises(NotFound, match="统一社会信用代码"):
        registry.get(uscc(77))


def test_upsert_refuses_an_invalid_code_in_chinese(registry: RegistryService) -> None:
    bad = uscc(5)[:17] + ("0" if uscc(5)[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        registry.upsert(Business(uscc=bad, name="某店", kind=BusinessKind.FOOD_RETAIL))
    assert registry.count() == len(NAMES) + 1
