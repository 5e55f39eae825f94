"""Deterministic, realistic fake registry of Jingmen (荆门) businesses and equipment, for demos and benches.

Same ``seed`` and ``n`` → same businesses. USCCs carry the district-level region code of their area and a
valid GB 32100 check character; food kinds get JY licences (JY1 销售 / JY2 餐饮 + 4208xx…); 特种设备使用单位
get equipment with 18-character 设备代码. Nothing here touches storage.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from inspector_app.core.identifiers import USCC_ALPHABET, make_uscc
from inspector_app.core.registry import Business, BusinessKind, Equipment, EquipmentType

#: Area → (county-level region code, share of businesses, streets, towns).
AREAS: dict[str, tuple[str, float, tuple[str, ...], tuple[str, ...]]] = {
    "东宝区": (
        "420802",
        0.17,
        ("象山大道", "长宁大道", "中天街", "龙井大道", "文化路", "白云大道", "泉口路", "月亮湖路"),
        ("子陵铺镇", "漳河镇", "牌楼镇", "仙居乡"),
    ),
    "掇刀区": (
        "420804",
        0.15,
        ("白庙路", "星球路", "杨湾路", "兴隆大道", "培公大道", "望兵石路", "天鹅大道", "荆南大道"),
        ("团林铺镇", "麻城镇", "掇刀石街道"),
    ),
    "沙洋县": (
        "420822",
        0.18,
        ("汉津大道", "江汉大道", "五里铺路", "后港大道", "建设路", "市场路", "人民路"),
        ("沙洋镇", "后港镇", "五里铺镇", "拾回桥镇", "官垱镇"),
    ),
    "钟祥市": (
        "420881",
        0.30,
        ("承天大道", "莫愁大道", "王府大道", "皇城路", "郢中大道", "阳春大街", "兰台路", "石城大道"),
        ("郢中街道", "胡集镇", "洋梓镇", "长寿镇", "柴湖镇", "石牌镇"),
    ),
    "京山市": (
        "420882",
        0.20,
        ("新市大道", "京源大道", "轻机大道", "城中路", "文峰路", "惠亭路", "永兴大道"),
        ("新市街道", "永兴镇", "宋河镇", "钱场镇", "曹武镇", "雁门口镇"),
    ),
}
#: Kind → (share, name endings).
KINDS: dict[BusinessKind, tuple[float, tuple[str, ...]]] = {
    BusinessKind.SMALL_CATERING: (
        0.30,
        (
            "小吃店",
            "餐馆",
            "面馆",
            "牛肉面馆",
            "热干面馆",
            "早点铺",
            "饺子馆",
            "快餐店",
            "土菜馆",
            "烧烤店",
            "奶茶店",
        ),
    ),
    BusinessKind.FOOD_RETAIL: (
        0.28,
        ("食杂店", "超市", "便利店", "副食店", "生鲜超市", "粮油店", "购物中心"),
    ),
    BusinessKind.FOOD_WORKSHOP: (
        0.06,
        ("豆腐坊", "面条加工坊", "香油坊", "糕点坊", "酱菜作坊", "桥米加工坊", "卤菜作坊"),
    ),
    BusinessKind.FOOD_STALL: (0.06, ("烧饼摊", "早餐摊", "卤菜摊", "炕土豆摊", "凉面摊")),
    BusinessKind.EQUIPMENT_UNIT: (
        0.08,
        (
            "机械厂",
            "化工有限公司",
            "物业管理有限公司",
            "热电有限公司",
            "建材有限公司",
            "纸业有限公司",
            "电梯维保有限公司",
            "人民医院",
        ),
    ),
    BusinessKind.COSMETICS_SHOP: (0.06, ("化妆品店", "美妆店", "日化店", "化妆品商行")),
    BusinessKind.BEAUTY_SALON: (0.10, ("理发店", "美发沙龙", "美容院", "美容美发店", "发型设计", "美甲店")),
    BusinessKind.HOTEL: (0.06, ("大酒店", "宾馆", "酒店", "商务酒店", "快捷酒店", "旅馆")),
}
_BRAND_A = [
    "红山",
    "龙泉",
    "象山",
    "明显",
    "楚天",
    "汉江",
    "荆楚",
    "鑫源",
    "兴旺",
    "福满",
    "金桥",
    "永兴",
    "惠民",
    "百佳",
    "老街",
    "德福",
    "盛世",
    "天顺",
    "长青",
    "莫愁",
    "明珠",
    "凤凰",
    "双喜",
    "华兴",
    "佳美",
    "丽人",
    "金凤",
    "如意",
    "聚福",
    "宏达",
    "顺发",
    "东方",
    "阳光",
    "晨光",
    "万家",
    "一品",
    "御膳",
    "湘味",
    "川香",
    "老王",
    "李记",
    "张记",
    "刘家",
    "陈氏",
    "承天",
    "郢中",
    "漳河",
    "屈家岭",
    "石牌",
    "宋河",
    "好运",
    "家和",
    "美华",
    "新世纪",
    "君悦",
]
_BRAND_B = [
    "鑫",
    "源",
    "隆",
    "祥",
    "福",
    "旺",
    "发",
    "顺",
    "达",
    "兴",
    "泰",
    "和",
    "瑞",
    "丰",
    "盛",
    "康",
    "乐",
    "悦",
    "家",
    "缘",
]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕熊夏"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红玲建国志文斌春梅海燕"
_MOBILE = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "170",
    "177",
    "180",
    "181",
    "183",
    "186",
    "187",
    "188",
    "189",
    "199",
)
_RISK = (("A", 0.40), ("B", 0.35), ("C", 0.18), ("D", 0.07))
#: Equipment type → (4-digit category codes, registration abbreviation, typical places).
_EQUIPMENT: dict[EquipmentType, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    EquipmentType.ELEVATOR: (("3110", "3120", "3310"), "梯", ("1号楼", "2号楼", "门诊楼", "综合楼", "商场")),
    EquipmentType.BOILER: (("1100", "1200"), "锅", ("锅炉房",)),
    EquipmentType.PRESSURE_VESSEL: (("2110", "2150"), "容", ("生产车间", "空压站", "消毒供应室")),
    EquipmentType.GAS_CYLINDER: (("2310",), "瓶", ("气站", "仓库")),
    EquipmentType.CRANE: (("4110", "4200"), "起", ("一号车间", "二号车间", "露天货场")),
    EquipmentType.INDUSTRIAL_VEHICLE: (("5110",), "车", ("仓库", "厂区")),
}
_UNIT_EQUIPMENT = {
    "物业管理有限公司": (EquipmentType.ELEVATOR,),
    "人民医院": (EquipmentType.ELEVATOR, EquipmentType.BOILER, EquipmentType.PRESSURE_VESSEL),
    "电梯维保有限公司": (EquipmentType.ELEVATOR,),
    "热电有限公司": (EquipmentType.BOILER, EquipmentType.PRESSURE_VESSEL, EquipmentType.CRANE),
}
_FACTORY_EQUIPMENT = (
    EquipmentType.BOILER,
    EquipmentType.PRESSURE_VESSEL,
    EquipmentType.CRANE,
    EquipmentType.INDUSTRIAL_VEHICLE,
    EquipmentType.GAS_CYLINDER,
)
_BODY_CHARS = USCC_ALPHABET
_BODY_SPACE = 31**6
_SPREAD = 548_391_019  # not a multiple of 31, so index → body is a bijection that scatters the codes


def _weighted(
    rng: random.Random, table: dict[str, tuple[str, float, tuple[str, ...], tuple[str, ...]]]
) -> str:
    return rng.choices(list(table), weights=[v[1] for v in table.values()])[0]


def _uscc(region: str, index: int, individual: bool, rng: random.Random) -> str:
    value = (index * _SPREAD + 12345) % _BODY_SPACE
    tail = ""
    for _ in range(6):
        value, digit = divmod(value, 31)
        tail = _BODY_CHARS[digit] + tail
    head = ("92" if individual else "91") + region + rng.choice(("MA4", "MA3", "MA2", "L10", "L23", "MA9"))
    return make_uscc(head + tail)


def _person(rng: random.Random) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(_SURNAMES) + given


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return f"0724-{rng.randint(2000000, 8999999)}"
    return rng.choice(_MOBILE) + f"{rng.randint(0, 99_999_999):08d}"


def _name(rng: random.Random, area: str, kind: BusinessKind) -> str:
    brand = rng.choice(_BRAND_A) + (rng.choice(_BRAND_B) if rng.random() < 0.5 else "")
    ending = rng.choice(KINDS[kind][1])
    place = rng.choice(("荆门", "荆门市", area, area[:2], "", ""))
    if ending.endswith("公司") or ending == "人民医院":
        place = place or "荆门市"
    if kind is BusinessKind.FOOD_STALL:
        brand = _person(rng)[0] + rng.choice(("记", "家", "师傅", "姐"))
    return place + brand + ending


def _licence(rng: random.Random, kind: BusinessKind, region: str, index: int) -> str:
    if kind is BusinessKind.SMALL_CATERING:
        return f"JY2{region}{(index + 1) % 1_000_000:06d}{rng.randint(0, 9)}"
    if kind is BusinessKind.FOOD_RETAIL:
        return f"JY1{region}{(index + 1) % 1_000_000:06d}{rng.randint(0, 9)}"
    if kind is BusinessKind.FOOD_WORKSHOP:
        return f"鄂食小作坊登字{region}{(index + 1) % 100_000:05d}号"
    if kind is BusinessKind.FOOD_STALL:
        return f"鄂食摊备{region}{(index + 1) % 100_000:05d}"
    return ""


def _kind(rng: random.Random, index: int) -> BusinessKind:
    kinds = list(KINDS)
    if index < len(kinds):  # every kind appears even in a small registry
        return kinds[index]
    return rng.choices(kinds, weights=[KINDS[k][0] for k in kinds])[0]


def make_business(rng: random.Random, index: int) -> Business:
    """The ``index``-th fake business (unique USCC for every index)."""
    kind = _kind(rng, index)
    area = list(AREAS)[index] if index < len(AREAS) else _weighted(rng, AREAS)
    region, _, streets, towns = AREAS[area]
    individual = kind not in (BusinessKind.EQUIPMENT_UNIT, BusinessKind.HOTEL) and rng.random() < 0.7
    town = rng.choice(towns) if rng.random() < 0.35 else ""
    food = kind in (BusinessKind.SMALL_CATERING, BusinessKind.FOOD_RETAIL, BusinessKind.FOOD_WORKSHOP)
    attributes = {"online_sales": rng.choice(("是", "否", "否"))} if kind is BusinessKind.FOOD_RETAIL else {}
    return Business(
        uscc=_uscc(region, index, individual, rng),
        name=_name(rng, area, kind),
        kind=kind,
        address=f"湖北省荆门市{area}{town}{rng.choice(streets)}{rng.randint(1, 399)}号",
        area=area,
        responsible=_person(rng),
        phone=_phone(rng),
        licence_no=_licence(rng, kind, region, index),
        risk_grade=rng.choices([g for g, _ in _RISK], weights=[w for _, w in _RISK])[0],
        credit_score=None if rng.random() < 0.05 else round(min(100.0, max(40.0, rng.gauss(85, 8))), 1),
        attributes=attributes,
        licensed_on=date(2018, 1, 1) + timedelta(days=rng.randint(0, 2500)) if food else None,
    )


def generate_businesses(n: int, seed: int = 4208) -> Iterator[Business]:
    """``n`` realistic Jingmen businesses, the same for the same ``seed`` (all kinds and all five areas)."""
    rng = random.Random(seed)
    for index in range(n):
        yield make_business(rng, index)


def generate_equipment(
    business: Business, rng: random.Random, today: date = date(2025, 6, 1)
) -> list[Equipment]:
    """Equipment of a 特种设备使用单位 (empty for other kinds); next inspections fall around ``today``."""
    if business.kind is not BusinessKind.EQUIPMENT_UNIT:
        return []
    types = next((t for key, t in _UNIT_EQUIPMENT.items() if business.name.endswith(key)), _FACTORY_EQUIPMENT)
    items = []
    for number in range(rng.randint(1, 6)):
        kind = rng.choice(types)
        categories, abbreviation, places = _EQUIPMENT[kind]
        maker = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(5))
        year = rng.randint(2005, 2024)
        code = f"{rng.choice(categories)}{maker}{year}{rng.randint(0, 99_999):05d}"
        items.append(
            Equipment(
                code=code,
                owner_uscc=business.uscc,
                type=kind,
                registration_no=f"{abbreviation}{rng.randint(10, 39)}鄂H{rng.randint(0, 99_999):05d}({year % 100:02d})",
                next_inspection=today + timedelta(days=rng.randint(-60, 365)),
                location=f"{rng.choice(places)}{number + 1}号"
                if kind is not EquipmentType.BOILER
                else "锅炉房",
            )
        )
    return items
