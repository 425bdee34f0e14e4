"""The fictional towns of the demo: 雄勝野市 (modelled on the Yuzawa City three-layer
system of the seed text, DOMAIN.md §5) and the small 成瀬川村 next door.

Every name, address and telephone number here is invented.
"""

from typing import NamedTuple

from tsunagu.accounts.models import AgencyKind, Role

PASSWORD = "tsunagu-demo-2026"


class Area(NamedTuple):
    """A neighbourhood of a district: what goes into an address."""

    name: str
    postal_code: str
    # "chome": 一丁目3-12; "aza": 字上野 45; "apartment" areas also get a building name.
    style: str


class DistrictData(NamedTuple):
    number: int
    name: str
    areas: tuple[Area, ...]


class TownData(NamedTuple):
    key: str
    name: str
    prefecture: str
    population: int
    # 市役所 / 村役場: how notes refer to the town hall.
    office: str
    area_code: str
    districts: tuple[DistrictData, ...]


class AgencyData(NamedTuple):
    key: str
    town: str
    name: str
    kind: str
    phone: str
    address: str


class AccountData(NamedTuple):
    username: str
    role: str
    agency: str | None
    display_name: str
    family_name: str
    given_name: str
    note: str


OGACHINO = TownData(
    key="ogachino",
    name="雄勝野市",
    prefecture="秋田県",
    population=42_180,
    office="市役所",
    area_code="0183",
    districts=(
        DistrictData(
            1,
            "弁天・幡野・岩崎",
            (
                Area("弁天町", "012-0801", "chome"),
                Area("幡野字松原", "012-0802", "aza"),
                Area("岩崎字古館", "012-0803", "aza"),
            ),
        ),
        DistrictData(
            2,
            "東小",
            (
                Area("東町", "012-0811", "chome"),
                Area("表町", "012-0812", "apartment"),
                Area("清水町", "012-0813", "chome"),
            ),
        ),
        DistrictData(
            3,
            "西小",
            (
                Area("西町", "012-0821", "chome"),
                Area("柳町", "012-0822", "apartment"),
                Area("田町", "012-0823", "chome"),
            ),
        ),
        DistrictData(
            4,
            "山田",
            (
                Area("山田字上野", "012-0831", "aza"),
                Area("山田字新田", "012-0832", "aza"),
            ),
        ),
        DistrictData(
            5,
            "三関・須川・高松",
            (
                Area("三関字大沢", "012-0841", "aza"),
                Area("須川字境田", "012-0842", "aza"),
                Area("高松字湯ノ沢", "012-0843", "aza"),
            ),
        ),
        DistrictData(
            6,
            "稲川",
            (
                Area("稲川町大森", "012-0851", "aza"),
                Area("稲川町桂", "012-0852", "aza"),
            ),
        ),
        DistrictData(
            7,
            "雄勝",
            (
                Area("雄勝町横森", "012-0861", "aza"),
                Area("雄勝町湯ノ台", "012-0862", "aza"),
            ),
        ),
        DistrictData(
            8,
            "皆瀬",
            (
                Area("皆瀬字萩原", "012-0867", "aza"),
                Area("皆瀬字小湯", "012-0868", "aza"),
            ),
        ),
    ),
)

NARUSEGAWA = TownData(
    key="narusegawa",
    name="成瀬川村",
    prefecture="秋田県",
    population=2_460,
    office="村役場",
    area_code="0182",
    districts=(
        DistrictData(1, "上郷", (Area("上郷字滝ノ沢", "019-0901", "aza"),)),
        DistrictData(2, "下郷", (Area("下郷字田子内", "019-0905", "aza"),)),
    ),
)

TOWNS = (OGACHINO, NARUSEGAWA)

# The agencies of the seed's diagram: the centre (run by the 社協), the municipality's
# 福祉課, and the network around them.
AGENCIES: tuple[AgencyData, ...] = (
    AgencyData(
        "centre",
        "ogachino",
        "雄勝野市自立相談支援センター",
        AgencyKind.CONSULTATION_CENTRE,
        "0183-72-3150",
        "雄勝野市東町二丁目1-8 雄勝野市総合福祉センター1階（運営: 雄勝野市社会福祉協議会）",
    ),
    AgencyData(
        "welfare",
        "ogachino",
        "雄勝野市福祉課",
        AgencyKind.MUNICIPAL_DEPARTMENT,
        "0183-73-2111",
        "雄勝野市表町一丁目1-1",
    ),
    AgencyData(
        "council",
        "ogachino",
        "雄勝野市社会福祉協議会",
        AgencyKind.SOCIAL_WELFARE_COUNCIL,
        "0183-72-3100",
        "雄勝野市東町二丁目1-8 雄勝野市総合福祉センター2階",
    ),
    AgencyData(
        "community_care",
        "ogachino",
        "雄勝野市地域包括支援センター",
        AgencyKind.COMMUNITY_CARE_CENTRE,
        "0183-72-3160",
        "雄勝野市東町二丁目1-8 雄勝野市総合福祉センター1階",
    ),
    AgencyData(
        "disability",
        "ogachino",
        "雄勝野市基幹相談支援センター",
        AgencyKind.DISABILITY_CONSULTATION,
        "0183-72-3170",
        "雄勝野市西町三丁目4-2",
    ),
    AgencyData(
        "hello_work",
        "ogachino",
        "ハローワーク雄勝野",
        AgencyKind.HELLO_WORK,
        "0183-73-6141",
        "雄勝野市清水町一丁目5-20",
    ),
    AgencyData(
        "health",
        "ogachino",
        "雄勝野市保健センター",
        AgencyKind.HEALTH_CENTRE,
        "0183-73-2120",
        "雄勝野市表町一丁目1-1 雄勝野市役所別館",
    ),
    AgencyData(
        "food_bank", "ogachino", "フードバンクおがちの", AgencyKind.FOOD_BANK, "0183-72-3188", "雄勝野市田町二丁目7-3"
    ),
    AgencyData(
        "npo",
        "ogachino",
        "NPO法人ひだまりの家（居場所・ひきこもり支援）",
        AgencyKind.NPO,
        "0183-78-2040",
        "雄勝野市柳町一丁目9-6",
    ),
    AgencyData(
        "housing",
        "ogachino",
        "居住支援法人 NPO法人すまいるネット雄勝野",
        AgencyKind.HOUSING_SUPPORT_CORPORATION,
        "0183-78-5522",
        "雄勝野市西町一丁目12-1",
    ),
    AgencyData(
        "legal",
        "ogachino",
        "法律相談センターおがちの（弁護士会・法テラス出張相談）",
        AgencyKind.LEGAL_AID,
        "0183-72-9010",
        "雄勝野市東町三丁目2-15",
    ),
    AgencyData(
        "company",
        "ogachino",
        "株式会社おがちの農産（認定就労訓練事業所）",
        AgencyKind.COMPANY,
        "0183-79-3301",
        "雄勝野市山田字新田120",
    ),
    AgencyData(
        "school", "ogachino", "雄勝野市立雄勝野中学校", AgencyKind.SCHOOL, "0183-73-4401", "雄勝野市西町四丁目1-1"
    ),
    AgencyData(
        "other_centre",
        "narusegawa",
        "成瀬川村自立相談支援センター",
        AgencyKind.CONSULTATION_CENTRE,
        "0182-47-3020",
        "成瀬川村上郷字滝ノ沢30 成瀬川村保健福祉センター内（運営: 成瀬川村社会福祉協議会）",
    ),
    AgencyData(
        "other_welfare",
        "narusegawa",
        "成瀬川村住民福祉課",
        AgencyKind.MUNICIPAL_DEPARTMENT,
        "0182-47-3400",
        "成瀬川村上郷字滝ノ沢1",
    ),
    AgencyData(
        "other_council",
        "narusegawa",
        "成瀬川村社会福祉協議会",
        AgencyKind.SOCIAL_WELFARE_COUNCIL,
        "0182-47-3025",
        "成瀬川村上郷字滝ノ沢30",
    ),
)

ACCOUNTS: tuple[AccountData, ...] = (
    AccountData("chief", Role.CHIEF, "centre", "佐藤 美咲", "佐藤", "美咲", "センター全体のケース、終結の承認、監査"),
    AccountData("consultant", Role.CONSULTANT, "centre", "高橋 健太", "高橋", "健太", "DVケースの担当"),
    AccountData("consultant2", Role.CONSULTANT, "centre", "鈴木 由美", "鈴木", "由美", "DVケースのチーム外"),
    AccountData("employment", Role.EMPLOYMENT_SUPPORTER, "centre", "田中 誠", "田中", "誠", "就労支援"),
    AccountData("coordinator", Role.COORDINATOR, "centre", "伊藤 直子", "伊藤", "直子", "複合ケースの調整"),
    AccountData("officer", Role.MUNICIPAL_OFFICER, "welfare", "渡辺 大輔", "渡辺", "大輔", "支援決定"),
    AccountData("partner", Role.PARTNER, "community_care", "小松 恵子", "小松", "恵子", "一部のケースチームのみ"),
    AccountData("admin", Role.ADMIN, None, "阿部 隆（システム管理）", "阿部", "隆", "設定のみ（/admin/）"),
    AccountData("chief_other", Role.CHIEF, "other_centre", "小野寺 和子", "小野寺", "和子", "雄勝野市は見えない"),
)

DEMO_USERNAMES = tuple(account.username for account in ACCOUNTS)
