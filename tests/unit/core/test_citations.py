"""Citation helpers: Chinese article numbers, reading a printed basis, legacy texts split for display."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.checklist import Item
from inspector_app.core.citations import (
    Citation,
    from_chinese,
    printed_articles,
    split_legacy_basis,
    strip_placeholders,
    to_chinese,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (101, "一百零一"),
        (110, "一百一十"),
        (154, "一百五十四"),
    ],
)
def test_article_numbers_are_written_as_in_the_laws(number, text):
    assert to_chinese(number) == text
    assert from_chinese(text) == number


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_round_trip(number):
    assert from_chinese(to_chinese(number)) == number


def test_a_locator_names_article_paragraph_and_item():
    assert Citation("食品安全法", 67, 2).locator() == "第六十七条第二款"
    assert Citation("食品安全法", 34, item=6).locator() == "第三十四条第（六）项"
    assert Citation("GB45067", clause="5.6.2").locator() == "5.6.2"


TITLES = {"food": "《食品安全法》", "rules": "《食品安全法实施条例》", "hubei": "《湖北省食品安全条例》"}


def test_printed_articles_follow_each_title_up_to_the_next():
    text = "《食品安全法》第三十四条、第五十四条；《食品安全法实施条例》第二十四条；《湖北省食品安全条例》"
    assert printed_articles(text, TITLES) == {"food": {34, 54}, "rules": {24}, "hubei": set()}


def test_a_title_inside_another_title_is_not_counted_twice():
    assert printed_articles("《食品安全法实施条例》第三十九条", TITLES) == {"rules": {39}}


def test_legacy_basis_is_split_into_basis_and_reference_without_placeholders():
    legacy = (
        "《食品安全法》第三十六条；《湖北省食品安全条例》小餐饮禁止品种条款（条款号待核实）；"
        "参照《山东省食品小作坊小餐饮和食品摊点管理条例》第二十六条、《浙江省规定》第十二条"
    )
    basis, reference = split_legacy_basis(legacy)
    assert basis == "《食品安全法》第三十六条；《湖北省食品安全条例》小餐饮禁止品种条款"
    assert reference == "《山东省食品小作坊小餐饮和食品摊点管理条例》第二十六条；《浙江省规定》第十二条"
    assert "待核实" not in strip_placeholders("依据（待核实）条款号待核实")


def test_a_legacy_item_shows_its_basis_and_reference_apart():
    item = Item("SP01", "持证", "《食品安全法》第三十五条；参照《浙江省规定》第八条")
    assert (item.printed_basis, item.reference_note) == ("《食品安全法》第三十五条", "《浙江省规定》第八条")
    structured = Item(
        "SP01",
        "持证",
        "《食品安全法》第三十五条",
        reference="《浙江省规定》第八条",
        citations=(Citation("食品安全法", 35),),
    )
    assert (structured.printed_basis, structured.reference_note) == (
        "《食品安全法》第三十五条",
        "《浙江省规定》第八条",
    )
