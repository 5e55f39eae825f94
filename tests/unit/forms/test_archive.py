"""Superseded checklist versions: archived with parts expanded, frozen, and never offered for new visits."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace

import pytest

from inspector_app.forms.archive import archive_text
from inspector_app.forms.errors import FormError
from inspector_app.forms.library import check_file, load_library
from inspector_app.paths import FORMS_DIR

ARCHIVE = FORMS_DIR / "archive"
LIBRARY = load_library()

#: sha256 of every archived file. Records finalized on these versions print from them: an archived file
#: must never change. Add the hash of a new archive here; never edit an existing line.
FROZEN = {
    "cosmetics.trade.v1.yaml": "e8d9c52d45eba8dae8614645ad475c1e219620466794df25e2ab0f10166a455b",
    "equipment.boiler.v1.yaml": "bf9b1231f9991d8a267788d8da5c2c2fc5230b5a6b07f2f28227d52f244283b2",
    "equipment.crane.v1.yaml": "99a608cc3d47210b198fd1aa230806c02dabdfc2b967f9e1fc66dd5bcc5f7aa5",
    "equipment.elevator.v1.yaml": "75fa760f9e7b748baf60fa25fc0633168bf837ab9e61eb12cf96d8139fd0a60f",
    "equipment.gas_cylinder.v1.yaml": "8da9d0e9aeaa6763a932d49d8c79e190ecbf95a68c8fa262057b819d1540a3f3",
    "equipment.industrial_vehicle.v1.yaml": "0541fd4c62c57af0871a568a88ffed67c05bf7b2b9ce34b3ed9d7c9ef85b9f98",
    "equipment.pressure_vessel.v1.yaml": "9991c05d1578de6e3888f14f7add161fc586ef4fa03ecd481d5822d64a96e8e2",
    "equipment.unit.v1.yaml": "4fa635b683bcf00c4c027c6c1c5612121cb929c4b198256f447ff3ddd9211b51",
    "food.retail.v1.yaml": "adf9be8c6b52059417fa149afd566a38d3497cda667c55eb2c2ecc1ba74504f2",
    "food.small_catering.v1.yaml": "a47eb37494785851be2b1761298e7ee6801f013c6b2711b8072ddc6100dd4bcc",
    "food.stall.v1.yaml": "d4fd96e3d5903082283a64daebb232aa6995c42f98be7827f391bf5054f5ecc7",
    "food.workshop.v1.yaml": "e9b440e9668b1619ff474873e9879097334946fe9ffe6483282d6b40febf7655",
}


def test_every_archived_file_is_listed_and_unchanged():
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ARCHIVE.glob("*.yaml")}
    assert found == FROZEN


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_an_archived_version_loads_on_demand_and_is_superseded_by_a_newer_one(name):
    library = load_library()
    form_id, version = name.removesuffix(".yaml").rsplit(".v", 1)
    assert (form_id, int(version)) in library.archived and (form_id, int(version)) not in library.checklists
    archived = library.get(form_id, int(version))  # read when a record pins it
    assert archived.source == f"archive/{name}" and library.get(form_id, int(version)) is archived
    assert library.get(form_id).version > archived.version and archived not in library.all()


def test_an_archive_file_that_does_not_hold_what_its_name_says_is_refused(tmp_path):
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    (root / "archive" / "food.stall.v1.yaml").rename(root / "archive" / "food.stall.v0.yaml")
    library = load_library(root)
    with pytest.raises(FormError, match="文件内容不是 food.stall 第0版"):
        library.get("food.stall", 0)


def test_the_archive_text_loads_back_to_an_equal_checklist(tmp_path):
    for checklist in LIBRARY.all():
        path = tmp_path / "copy.yaml"
        path.write_text(archive_text(checklist), encoding="utf-8")
        loaded, problems = check_file(path, {}, path.name, LIBRARY.laws)
        assert problems == []
        assert replace(loaded, source="") == replace(checklist, source="")


def test_an_archive_without_a_newer_live_version_is_refused(tmp_path):
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    (root / "food" / "stall.yaml").unlink()
    for old in (root / "archive").glob("food.stall.*"):
        old.rename(root / "archive" / "food.stall.v7.yaml")
        text = old.with_name("food.stall.v7.yaml").read_text(encoding="utf-8")
        old.with_name("food.stall.v7.yaml").write_text(text.replace("version: 1", "version: 7"), "utf-8")
    with pytest.raises(FormError) as caught:
        load_library(root)
    assert "archive/food.stall.v7.yaml: version: 存档的 food.stall 第7版 没有更新的版本" in str(caught.value)
