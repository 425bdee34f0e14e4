"""Which cases the demo centre holds: one line per case, so that every state of the
support process is present and each persona's /my/ page has something to show.

`tasks` fixes the open tasks of a case (O: overdue, W: due within the week, L: later);
otherwise the loader draws them. `opened_ago` fixes how many days ago the case opened.
"""

from typing import NamedTuple

from tsunagu.cases.models import CaseState, SuspensionReason

S = CaseState


class FixedName(NamedTuple):
    family: str
    given: str
    family_kana: str
    given_kana: str
    sex: str
    age: int


class CaseSpec(NamedTuple):
    story: str
    state: str
    worker: str | None
    # "replan" (evaluation -> plan again), "returned" (支援調整会議 sent the plan back),
    # "resumed" (suspended and resumed).
    path: str = ""
    suspended_from: str = ""
    suspension_reason: str = ""
    name: FixedName | None = None
    tasks: str | None = None
    quiet: bool = False  # no progress note for over a month (shows on /my/)
    confidentiality: str = ""  # "confirmed" or "awaiting"
    opened_ago: int | None = None
    # When the plan's next review falls, for a case in support: "W" within the coming
    # week, "O" overdue; otherwise reviews were kept and the next one is weeks away.
    review: str = ""


YAMADA_TARO = FixedName("山田", "太郎", "ヤマダ", "タロウ", "male", 51)
# Differ only by an 異体字, and read the same: a search for either finds both.
TAKAHASHI_OLD_FORM = FixedName("髙橋", "洋子", "タカハシ", "ヨウコ", "female", 57)
TAKAHASHI = FixedName("高橋", "洋子", "タカハシ", "ヨウコ", "female", 41)

OGACHINO_CASES: tuple[CaseSpec, ...] = (
    # 把握: reports from supporters and agencies, not yet met
    CaseSpec("elderly_food", S.IDENTIFIED, "consultant", tasks="W"),
    CaseSpec("isolation", S.IDENTIFIED, None),
    CaseSpec("hikikomori_8050", S.IDENTIFIED, "consultant2"),
    CaseSpec("isolation", S.IDENTIFIED, "coordinator"),
    # 相談受付
    CaseSpec("rent_arrears", S.INTAKE, "consultant2"),
    CaseSpec("multiple_debt", S.INTAKE, "consultant", tasks="W"),
    CaseSpec("young_neet", S.INTAKE, "employment"),
    CaseSpec("mental_health", S.INTAKE, "consultant2"),
    CaseSpec("tax_arrears", S.INTAKE, "chief"),
    # スクリーニング
    CaseSpec("care_leave", S.SCREENING, "consultant"),
    CaseSpec("housing_loss", S.SCREENING, "consultant2"),
    CaseSpec("single_parent", S.SCREENING, "consultant"),
    CaseSpec("illness_job_loss", S.SCREENING, "consultant2"),
    # 情報提供のみで終了
    CaseSpec("info_loan", S.CLOSED_INFO_ONLY, "consultant"),
    CaseSpec("info_heating", S.CLOSED_INFO_ONLY, "consultant2"),
    CaseSpec("info_snow", S.CLOSED_INFO_ONLY, "chief"),
    CaseSpec("info_pension", S.CLOSED_INFO_ONLY, "employment"),
    CaseSpec("info_heating", S.CLOSED_INFO_ONLY, "consultant"),
    # 他制度・他機関へつなぎ
    CaseSpec("handoff_welfare", S.HANDED_OFF, "consultant", opened_ago=19),
    CaseSpec("handoff_care", S.HANDED_OFF, "consultant2"),
    CaseSpec("handoff_disability", S.HANDED_OFF, "consultant", opened_ago=8),
    CaseSpec("handoff_hello_work", S.HANDED_OFF, "employment"),
    CaseSpec("handoff_legal", S.HANDED_OFF, "consultant2"),
    CaseSpec("handoff_health", S.HANDED_OFF, "coordinator"),
    # 申込・同意
    CaseSpec("rent_arrears", S.APPLIED, "consultant"),
    CaseSpec("young_neet", S.APPLIED, "employment"),
    CaseSpec("foreign_resident", S.APPLIED, "consultant2"),
    # アセスメント
    CaseSpec("hikikomori_8050", S.ASSESSMENT, "consultant"),
    CaseSpec("multiple_debt", S.ASSESSMENT, "consultant2"),
    CaseSpec("housing_loss", S.ASSESSMENT, "consultant", tasks="O"),
    CaseSpec("single_parent", S.ASSESSMENT, "consultant2"),
    CaseSpec("isolation", S.ASSESSMENT, "coordinator"),
    CaseSpec("dv_partner", S.ASSESSMENT, "consultant2", confidentiality="awaiting", opened_ago=6, tasks="W"),
    # プラン案
    CaseSpec("rent_arrears", S.PLAN_DRAFT, "consultant2"),
    CaseSpec("illness_job_loss", S.PLAN_DRAFT, "consultant"),
    CaseSpec("tax_arrears", S.PLAN_DRAFT, "consultant2", path="returned"),
    CaseSpec("young_neet", S.PLAN_DRAFT, "employment"),
    # 支援調整会議
    CaseSpec("multiple_debt", S.COORDINATION, "consultant"),
    CaseSpec("care_leave", S.COORDINATION, "consultant2"),
    CaseSpec("elderly_food", S.COORDINATION, "consultant"),
    # 支援決定・確認
    CaseSpec("housing_loss", S.DECIDED, "consultant2"),
    CaseSpec("single_parent", S.DECIDED, "consultant"),
    CaseSpec("mental_health", S.DECIDED, "consultant"),
    # 支援提供・モニタリング
    CaseSpec("rent_arrears", S.IN_SUPPORT, "consultant", name=YAMADA_TARO, tasks="OW", review="W"),
    CaseSpec("dv", S.IN_SUPPORT, "consultant", path="replan", confidentiality="confirmed", tasks="W", opened_ago=340),
    CaseSpec("hikikomori_8050", S.IN_SUPPORT, "coordinator"),
    CaseSpec("elderly_food", S.IN_SUPPORT, "consultant2"),
    CaseSpec("young_neet", S.IN_SUPPORT, "employment"),
    CaseSpec(
        "multiple_debt",
        S.IN_SUPPORT,
        "consultant",
        name=TAKAHASHI_OLD_FORM,
        tasks="O",
        quiet=True,
        opened_ago=190,
        review="O",
    ),
    CaseSpec("single_parent", S.IN_SUPPORT, "consultant2", path="replan"),
    CaseSpec("illness_job_loss", S.IN_SUPPORT, "employment"),
    CaseSpec("care_leave", S.IN_SUPPORT, "consultant", tasks="L"),
    CaseSpec("foreign_resident", S.IN_SUPPORT, "consultant2"),
    CaseSpec("housing_loss", S.IN_SUPPORT, "chief"),
    CaseSpec("isolation", S.IN_SUPPORT, "consultant", path="resumed"),
    # 評価
    CaseSpec("rent_arrears", S.EVALUATION, "consultant2"),
    CaseSpec("young_neet", S.EVALUATION, "employment"),
    CaseSpec("mental_health", S.EVALUATION, "consultant", name=TAKAHASHI),
    CaseSpec("tax_arrears", S.EVALUATION, "consultant"),
    # 終結
    CaseSpec("rent_arrears", S.CLOSED, "consultant"),
    CaseSpec("multiple_debt", S.CLOSED, "consultant2"),
    CaseSpec("illness_job_loss", S.CLOSED, "employment"),
    CaseSpec("housing_loss", S.CLOSED, "consultant2"),
    # フォローアップ
    CaseSpec("young_neet", S.FOLLOW_UP, "employment"),
    CaseSpec("single_parent", S.FOLLOW_UP, "consultant"),
    CaseSpec("rent_arrears", S.FOLLOW_UP, "consultant2"),
    # 終了
    CaseSpec("elderly_food", S.ENDED, "consultant2"),
    CaseSpec("multiple_debt", S.ENDED, "consultant"),
    CaseSpec("care_leave", S.ENDED, "consultant2"),
    CaseSpec("rent_arrears", S.ENDED, "employment"),
    # 中断
    CaseSpec(
        "young_neet",
        S.SUSPENDED,
        "consultant2",
        suspended_from=S.ASSESSMENT,
        suspension_reason=SuspensionReason.REFUSED,
    ),
    CaseSpec(
        "rent_arrears",
        S.SUSPENDED,
        "consultant",
        suspended_from=S.INTAKE,
        suspension_reason=SuspensionReason.CONTACT_LOST,
        tasks="O",
    ),
    CaseSpec(
        "hikikomori_8050",
        S.SUSPENDED,
        "coordinator",
        suspended_from=S.IN_SUPPORT,
        suspension_reason=SuspensionReason.REFUSED,
    ),
    CaseSpec(
        "housing_loss",
        S.SUSPENDED,
        "consultant2",
        suspended_from=S.PLAN_DRAFT,
        suspension_reason=SuspensionReason.MOVED_AWAY,
    ),
)

# 成瀬川村: a handful of cases of its own, all held by its centre's chief.
NARUSEGAWA_CASES: tuple[CaseSpec, ...] = (
    CaseSpec("rent_arrears", S.INTAKE, "chief_other", name=FixedName("山田", "次郎", "ヤマダ", "ジロウ", "male", 47)),
    CaseSpec("elderly_food", S.IN_SUPPORT, "chief_other"),
    CaseSpec("young_neet", S.ASSESSMENT, "chief_other"),
    CaseSpec("info_snow", S.CLOSED_INFO_ONLY, "chief_other"),
    CaseSpec("handoff_welfare", S.HANDED_OFF, "chief_other"),
)
