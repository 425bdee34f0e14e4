"""The stale-edit message is written once (lib.versioning.stale_edit), with the noun as a
parameter (issue 14: it was written 13 times with only the noun changing)."""

import re
from pathlib import Path

from tsunagu.lib.versioning import STALE_EDIT, stale_edit

APP = Path(__file__).resolve().parents[2]


def test_one_message_names_what_was_saved_first():
    assert stale_edit("ケース") == (
        "他の職員がこのケースを先に更新しました。あなたの入力は残っています。内容を確かめてから、もう一度保存してください。"
    )
    assert stale_edit("社会資源", kept=False) == (
        "他の職員がこの社会資源を先に更新しました。内容を確かめてから、もう一度操作してください。"
    )
    assert str(STALE_EDIT) == stale_edit("記録")


def test_no_module_writes_the_message_out_again():
    spelt = re.compile(r"がこの\S{1,12}を先に(更新|保存)しました")
    copies = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if "tests" not in path.parts and path.name != "versioning.py" and spelt.search(path.read_text())
    ]
    assert copies == []
