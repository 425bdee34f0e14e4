"""What the demo's 相談支援員 wrote on the standard forms (tsunagu.sheets) of each story.

One `SheetStory` per story of stories.py that gets as far as 申込・同意: the intake
sheet's statuses and consent, the assessment in the worker's words, the plan with its
rows, and the evaluation. They must agree with the story's progress notes.

Placeholders: everything a story's notes may use ({town}, {office}, {age}, {other_age}
and the story's `choices`), the sheet's own `choices`, {family_line} (the household
as the assessment describes it: 妻（52歳）と同居（2人世帯）), {insurance} (the person's
health insurance) and {spouse} (妻 or 夫, if the person lives with one).
`monthly_income` and `debt_total` are templates that give a number of yen once filled
in ("{pension}0000"; "{months}*{rent}" multiplies).

A plan row's `worker` is "worker" (the case's worker), "employment" (the employment
supporter), "partner" (the 地域包括 worker), "officer" (the municipal officer), or the
name of a contact at the agency.
"""

from typing import Any, NamedTuple

from tsunagu.sheets.models import (
    Attainment,
    Certificate,
    ConsentMethod,
    HousingStatus,
    Insurance,
    Issue,
    Pension,
    Programme,
    SuicideRisk,
    WorkStatus,
)

A = Attainment
IS = Issue
P = Programme


class IntakeText(NamedTuple):
    work: str
    housing: str
    insurance: str
    pension: str
    consent_agencies: tuple[str, ...]  # agency keys of town.py
    consent_method: str = ConsentMethod.SIGNATURE
    # "mother": the person's mother came with the person (or instead of them).
    visitor: str = ""


class AssessmentText(NamedTuple):
    life_history: str
    work_history: str
    education: str
    health: str
    monthly_income: str
    income_detail: str
    household_budget: str
    debts: str
    assets: str
    schemes_enrolled: str
    family: str
    key_person: str
    social_relations: str
    desired_life: str
    issues: tuple[str, ...]
    judgement: str
    debt_total: str = ""
    disability_certificate: str = Certificate.NONE
    disability_detail: str = ""
    mental_health: str = ""
    addictions: str = ""
    victimisation: str = ""
    suicide_risk: str = SuicideRisk.NONE
    emergency_note: str = ""  # set: 緊急の対応が必要
    key_person_if_spouse: str = ""  # instead of key_person when the person lives with a spouse
    # Fields a later version changes (at a 再プラン or when support resumes).
    revision: dict[str, Any] = {}


class ItemText(NamedTuple):
    issue: str
    goal: str
    person_action: str
    support: str
    agency: str
    worker: str
    months: int | None
    frequency: str


class PlanText(NamedTuple):
    long_term_goal: str
    short_term_goals: str
    items: tuple[ItemText, ...]
    programmes: tuple[str, ...] = ()
    months: int = 6


# (before, after) on the 1–5 scale, in the order of sheets.models.CONDITIONS:
# 意欲, 関係性, 参加, 経済的困窮の改善, 就労.
Scores = tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]


class EvaluationText(NamedTuple):
    attainments: tuple[tuple[str, str], ...]  # per plan row: attainment, comment
    scores: Scores
    reason: str


class SheetStory(NamedTuple):
    intake: IntakeText
    assessment: AssessmentText
    plan: PlanText | None = None
    closure: EvaluationText | None = None  # the evaluation that ends in 終結
    replan_evaluation: EvaluationText | None = None  # the evaluation that ends in 再プラン
    replan: PlanText | None = None  # the plan after it
    choices: dict[str, tuple[Any, ...]] = {}


# Who the demo's plans name at the agencies of the town (invented, like everything else).
CONTACTS = {
    "welfare_women": "女性相談員 村上",
    "council": "地域福祉係 熊谷",
    "council_learning": "学習支援担当 熊谷",
    "council_japanese": "日本語教室担当 千葉",
    "disability": "相談支援専門員 武田",
    "hello_work": "職業相談員 長谷川",
    "health": "保健師 三浦",
    "npo": "加藤（ひだまりの家）",
    "housing": "村田（すまいるネット）",
    "legal": "弁護士 石井",
    "company": "工藤（おがちの農産）",
    "school": "スクールソーシャルワーカー 斎藤",
}

# What the municipality writes on a decision, by programme.
DECISION_NOTES = {
    P.HOUSING_BENEFIT: "家賃相当額を貸主の口座へ直接支給（代理納付）",
    P.WORK_PREPARATION: "通所型（週1〜3回）",
    P.HOUSEHOLD_BUDGET: "家計表による月1〜2回の相談",
    P.HOUSING_SUPPORT: "入居支援と入居後の見守り",
    P.CHILD_LEARNING: "学習教室（週1回）",
    P.CERTIFIED_WORK_TRAINING: "雇用型",
}

SHEETS: dict[str, SheetStory] = {}

SHEETS["rent_arrears"] = SheetStory(
    choices={"rent": (38000, 42000, 45000)},
    intake=IntakeText(
        work=WorkStatus.JOB_SEEKING,
        housing=HousingStatus.RENTED,
        insurance=Insurance.NATIONAL,
        pension=Pension.UNPAID,
        consent_agencies=("welfare", "hello_work"),
    ),
    assessment=AssessmentText(
        life_history=(
            "{town}生まれ。地元の高校を卒業後、県内の工場などで働いてきた。{family_line}。"
            "今のアパートには10年ほど住んでいる。"
        ),
        work_history=(
            "高校卒業後、製造業を中心に派遣・契約社員として勤務。直近は{job}で約5年働いたが、"
            "人員整理で雇止めとなった。普通自動車免許あり。"
        ),
        education="県立高校卒業",
        health="腰痛の持病あり（整形外科に不定期に通院）。重い物を長時間持つ作業は難しい。ほかに通院なし。",
        mental_health="失職後、眠りが浅い日がある。本人は受診するほどではないと話す。",
        monthly_income="0",
        income_detail="収入なし。雇用保険は受給期間が終わった。所持金は約{cash}円。",
        household_budget=(
            "家賃 月{rent:,}円、携帯電話代 約1万2千円、光熱費 約1万円。食事は外食とコンビニが多く食費は約4万円。"
            "家計簿はつけていない。"
        ),
        debts="家賃の滞納 {months}か月分（大家さんと月1万円ずつの分納で合意済み）。ほかに借入なし。",
        debt_total="{months}*{rent}",
        assets="預貯金はほぼなし。軽自動車（ローン完済）。",
        schemes_enrolled="国民健康保険（離職後に切り替え）。国民年金は未納が続いている。",
        family="{family_line}。両親は他界。兄が県内にいるが、数年連絡を取っていない。",
        key_person="大家さん（事情を理解し、分納に応じてくれている）",
        key_person_if_spouse="{spouse}（家計の見直しに一緒に取り組んでいる）",
        social_relations="元同僚と時々連絡を取る程度。地域の行事には参加していない。",
        desired_life="「とにかく早く仕事を見つけて、家賃をきちんと払いたい。大家さんに迷惑をかけたくない。」",
        issues=(IS.ECONOMIC_HARDSHIP, IS.UNSTABLE_HOUSING, IS.JOB_SEARCH_DIFFICULTY, IS.DEBT, IS.BUDGET_MANAGEMENT),
        judgement=(
            "失職による一時的な困窮で、就労意欲は高い。住居確保給付金で住まいを守りながら、"
            "腰に負担の少ない仕事を就労支援員と探せば、早期の再就職が見込める。滞納家賃の分納を続けることと、"
            "外食中心の支出の見直しが必要。"
        ),
    ),
    plan=PlanText(
        long_term_goal="「仕事を見つけて、家賃を自分の給料で払える生活に戻る」",
        short_term_goals="住居確保給付金で家賃を確保する。3か月以内に就職先を決める。滞納家賃の分納を続ける。",
        programmes=(P.HOUSING_BENEFIT,),
        items=(
            ItemText(
                IS.UNSTABLE_HOUSING,
                "住まいを失わずに求職活動を続ける",
                "申請書類（離職票・通帳・賃貸借契約書）をそろえ、毎月の求職活動を報告する",
                "住居確保給付金の申請を支援し、支給状況を確認する",
                "welfare",
                "officer",
                3,
                "月1回（求職活動の報告）",
            ),
            ItemText(
                IS.JOB_SEARCH_DIFFICULTY,
                "腰に負担の少ない仕事に就く",
                "ハローワークで求職登録し、週2件以上応募する",
                "就労支援員が求人探し・応募書類・面接練習を支援し、ハローワークに同行する",
                "centre",
                "employment",
                6,
                "週1回",
            ),
            ItemText(
                IS.DEBT,
                "滞納家賃を分納で返し終える",
                "大家さんに毎月1万円ずつ払う",
                "分納の約束を書面にし、支払いの状況を一緒に確認する",
                "centre",
                "worker",
                6,
                "月1回",
            ),
            ItemText(
                IS.BUDGET_MANAGEMENT,
                "食費と通信費を見直し、毎月の収支を黒字にする",
                "1か月分のレシートを取っておく",
                "家計表を一緒に作り、携帯電話の料金プランを見直す",
                "centre",
                "worker",
                3,
                "月2回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "支給期間中は家賃の滞りなし。就職により支給は予定どおり終了"),
            (A.ACHIEVED, "倉庫内作業の仕事に常用就職し、3か月続いている"),
            (A.PARTLY, "分納は予定どおり。残りは2か月分"),
            (A.ACHIEVED, "外食を減らし、携帯電話も安いプランに変えた。家計は黒字"),
        ),
        scores=((3, 5), (2, 3), (2, 4), (1, 4), (1, 5)),
        reason=(
            "倉庫内作業の仕事に常用就職し、3か月続いている。家賃は自分の給料で払えており、"
            "滞納分の分納も予定どおり進んでいる。本人も「仕事にも慣れてきた。夜眠れるようになった」と話しており、"
            "就労による自立として終結とする。困ったときはいつでも連絡してよいことを伝えた。"
        ),
    ),
)

SHEETS["hikikomori_8050"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.NOT_WORKING,
        housing=HousingStatus.OWNED,
        insurance=Insurance.NATIONAL,
        pension=Pension.UNPAID,
        consent_agencies=("community_care", "npo", "disability"),
        consent_method=ConsentMethod.SPOKEN,
        visitor="mother",
    ),
    assessment=AssessmentText(
        life_history=(
            "{town}で生まれ育つ。高校卒業後、県外の専門学校に進み、そのまま県外で就職。"
            "30代で体調を崩して離職し実家に戻った。以後{years}年ほど自宅で過ごしている。{family_line}。"
        ),
        work_history=(
            "専門学校卒業後、県外のソフトウェア会社でプログラマーとして約10年勤務。長時間労働が続いて体調を崩し退職。"
            "以後、就労経験なし。"
        ),
        education="県立高校卒業、県外の情報系専門学校卒業",
        health="身体面の通院なし。歯の治療を途中でやめている。昼夜逆転ぎみ。",
        mental_health="人と会うことへの強い不安がある。受診歴なし。本人は今のところ受診を望んでいない。",
        monthly_income="{pension}0000",
        income_detail="母の老齢年金（月約{pension}万円）のみ。本人の収入なし。",
        household_budget="持ち家のため家賃なし。光熱費・食費・母の医療費で年金はほぼ使い切る。冬は灯油代がかさむ。",
        debts="なし",
        assets="自宅（築40年の木造、母名義）。母の預貯金が約100万円。",
        schemes_enrolled="母：介護保険（要介護1）、後期高齢者医療。本人：国民健康保険。国民年金は未納が続いている。",
        family="{family_line}。父は8年前に他界。妹が県外にいて、母とは電話で連絡を取っている。",
        key_person="母（本人が話せる唯一の相手）",
        social_relations=(
            "近所づきあいはない。夜中に近くのコンビニへ行く程度。パソコンで同年代の人のブログを読んでいる。"
        ),
        desired_life="「母さんに心配をかけないようにしたい。人の多い所は無理だけど、パソコンの仕事なら少しは。」",
        issues=(
            IS.SOCIAL_ISOLATION,
            IS.ECONOMIC_HARDSHIP,
            IS.IRREGULAR_LIFE,
            IS.CARE,
            IS.FAMILY_PROBLEMS,
            IS.JOB_SEARCH_DIFFICULTY,
        ),
        judgement=(
            "長期のひきこもりの状態だが、訪問を重ねて本人と話せるようになってきた。パソコンという関心事があり、"
            "居場所から社会参加を始められる見込み。母の年金だけでは母亡き後の生活が成り立たないため、"
            "国民年金の免除申請と、母の介護サービスの調整を地域包括と並行して進める。急がず本人のペースで関わる。"
        ),
    ),
    plan=PlanText(
        long_term_goal="「母さんが安心できるように、少しずつ外に出て、いつかパソコンの仕事をしたい」",
        short_term_goals="週1回、居場所に通う。国民年金の免除を受ける。母の介護サービスの利用を始める。",
        programmes=(P.WORK_PREPARATION,),
        months=12,
        items=(
            ItemText(
                IS.SOCIAL_ISOLATION,
                "週1回、ひだまりの家に通えるようになる",
                "月2回の訪問で相談員と話す。居場所の見学に行く",
                "訪問を続け、居場所の見学と利用に同行する（就労準備支援事業の日常生活・社会生活自立支援）",
                "npo",
                CONTACTS["npo"],
                12,
                "週1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "国民年金の免除を受け、将来の年金の受給資格を守る",
                "免除申請書に記入する",
                "申請書を用意し、市民課への提出に同行する",
                "centre",
                "worker",
                3,
                "随時",
            ),
            ItemText(
                IS.CARE,
                "母がデイサービスを利用し、本人の介護負担を軽くする",
                "母のデイサービスの送り出しをする",
                "地域包括支援センターがケアプランを調整し、母の様子をチームで共有する",
                "community_care",
                "partner",
                12,
                "月1回（チームで共有）",
            ),
            ItemText(
                IS.IRREGULAR_LIFE,
                "朝9時までに起きる日を週3日にする",
                "起きた時間を記録する",
                "訪問時に記録を一緒に振り返る",
                "centre",
                "worker",
                6,
                "月2回",
            ),
        ),
    ),
)

SHEETS["multiple_debt"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.NON_REGULAR,
        housing=HousingStatus.RENTED,
        insurance=Insurance.NATIONAL,
        pension=Pension.PAYING,
        consent_agencies=("legal", "council"),
    ),
    assessment=AssessmentText(
        life_history="{town}出身。20代で一度県外に出たが、30歳前に戻ってきた。{family_line}。",
        work_history=(
            "地元の食品工場でパート勤務（週5日、1日6時間）。以前は正社員だったが、"
            "工場の縮小でパートに切り替わり収入が減った。"
        ),
        education="県立高校卒業",
        health="督促の電話で眠れない日がある。ほかに大きな病気はない。",
        mental_health="督促への不安から不眠が続いている。受診歴なし。",
        addictions="スマートフォンのゲームへの課金（月1〜2万円）。本人も「やめたい」と話している。",
        monthly_income="130000",
        income_detail="パート収入 手取り月約13万円。",
        household_budget=(
            "家賃・光熱費・食費に加え、{n}社への返済が月{repay}万円を超える。"
            "返済のために別の会社から借りる状態が続いていた。食費、たばこ代、ゲームの課金の支出が大きい。"
        ),
        debts=(
            "消費者金融・クレジットカード会社など{n}社、総額約{total}万円（書類で確認）。"
            "水道料金を4か月滞納（約2万4千円）。"
        ),
        debt_total="{total}*10000",
        assets="預貯金なし。軽自動車（通勤用）。",
        schemes_enrolled="国民健康保険。",
        family="{family_line}。借金のことは家族・親族に詳しく話していない。",
        key_person="なし（借金のことを話せる人がいない）",
        social_relations="職場の同僚とは仕事の話のみ。休日は家で過ごすことが多い。",
        desired_life="「督促の電話におびえずに暮らしたい。給料日に全部なくなる生活から抜け出したい。」",
        issues=(IS.DEBT, IS.BUDGET_MANAGEMENT, IS.ECONOMIC_HARDSHIP, IS.MENTAL_HEALTH),
        judgement=(
            "返済のための借入を繰り返す多重債務の状態。弁護士による任意整理で返済額を減らし、"
            "家計改善支援事業で収支を立て直せば、生活は安定できる見込み。課金など支出の癖は本人も自覚しており、"
            "家計表を使った振り返りが有効と考える。"
        ),
        suicide_risk=SuicideRisk.LOW,
    ),
    plan=PlanText(
        long_term_goal="「借金を整理して、給料の範囲で暮らせるようになる」",
        short_term_goals="任意整理で返済額を減らす。毎月の家計を黒字にする。水道料金の滞納を分納で解消する。",
        programmes=(P.HOUSEHOLD_BUDGET,),
        months=12,
        items=(
            ItemText(
                IS.DEBT,
                "任意整理で返済額を月{pay}万円程度にする",
                "弁護士に必要な書類を渡し、督促の電話には応じない",
                "法律相談に同行し、手続きの進み具合を一緒に確認する",
                "legal",
                CONTACTS["legal"],
                6,
                "随時",
            ),
            ItemText(
                IS.BUDGET_MANAGEMENT,
                "毎月の家計を黒字にする",
                "家計表を毎週つける。ゲームの課金をやめる",
                "家計改善支援事業で家計表を作り、月2回振り返る",
                "centre",
                "worker",
                12,
                "月2回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "水道料金の滞納を分納で解消する",
                "約束どおり月3千円ずつ払う",
                "{office}の担当課と水道料金の分納を相談する",
                "centre",
                "worker",
                6,
                "月1回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "和解が成立し、返済は月{pay}万円になった"),
            (A.ACHIEVED, "3か月続けて黒字。課金はやめられた"),
            (A.ACHIEVED, "水道料金の滞納分を払い終えた"),
        ),
        scores=((2, 4), (2, 3), (3, 3), (1, 4), (3, 3)),
        reason=(
            "任意整理の和解が成立し、返済は月{pay}万円になった。家計は3か月続けて黒字で、"
            "督促の電話もなくなり眠れるようになった。水道料金の滞納も解消した。目標達成として終結する。"
            "家計簿アプリは続けるとのこと。"
        ),
    ),
)

SHEETS["dv"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.JOB_SEEKING,
        housing=HousingStatus.RENTED,
        insurance=Insurance.NATIONAL,
        pension=Pension.EXEMPT,
        consent_agencies=("welfare", "council"),
    ),
    assessment=AssessmentText(
        life_history=(
            "県外出身。結婚後は夫の地元（県外）で暮らしていたが、夫からの暴力が続き、"
            "小学生の子を連れて{town}に避難してきた。{family_line}。"
        ),
        work_history=(
            "高校卒業後、地元の会社で一般事務として8年勤務。結婚・出産を機に退職し、以後はパートを短期間。"
            "パソコンの基本操作ができる。"
        ),
        education="県立高校（商業科）卒業。簿記3級。",
        health="目立ったけがはない。頭痛が続き、市販薬でしのいでいる。",
        mental_health="元夫に居場所を知られることへの強い不安がある。夜中に目が覚めることがある。",
        victimisation=(
            "婚姻中、夫から身体的暴力と経済的暴力（生活費を渡さない）を受けた。"
            "県外の配偶者暴力相談支援センターに相談歴あり。住民基本台帳の支援措置を申請済み。"
            "警察（生活安全課）に相談済み。"
        ),
        monthly_income="55000",
        income_detail="児童扶養手当（月約4万5千円）と児童手当。所持金はわずか。",
        household_budget="家賃4万円の民間アパート。初期費用は姉から借りた。家電はリサイクルでそろえた。",
        debts="姉からの借入 20万円（転居の初期費用）。",
        debt_total="200000",
        assets="預貯金はほぼなし。",
        schemes_enrolled="国民健康保険（避難後に加入）。国民年金は免除を申請。児童扶養手当、児童手当。",
        family="{family_line}。元夫とは離婚調停中。県外に姉がいて、電話で相談できる。",
        key_person="姉（県外在住。電話で相談できる）",
        social_relations="{town}には知り合いがいない。子の学校の保護者とも距離を置いている。",
        desired_life="「子どもと二人で、びくびくしないで普通に暮らしたい。事務の仕事に戻りたい。」",
        issues=(
            IS.ABUSE,
            IS.ECONOMIC_HARDSHIP,
            IS.UNSTABLE_HOUSING,
            IS.SINGLE_PARENT,
            IS.SOCIAL_ISOLATION,
            IS.JOB_SEARCH_DIFFICULTY,
        ),
        judgement=(
            "DVから避難した直後で、安全の確保が最優先。所在秘匿の措置を確実に続けつつ、住居確保給付金で家賃を支え、"
            "事務職への再就職を目指す。子が新しい学校に慣れてきたことは強み。知り合いのいない土地で孤立しないよう、"
            "相談できる先を増やす。"
        ),
        revision={
            "monthly_income": "140000",
            "income_detail": "事務のパート（週4日）手取り約9万円、児童扶養手当 約4万5千円、児童手当。",
            "household_budget": (
                "住居確保給付金の支給が終わり、家賃4万円を自分で払っている。学童保育の利用料が加わった。"
            ),
            "social_relations": "子の学童保育の指導員と話せるようになった。職場の同僚とも少しずつ話す。",
            "issues": (
                IS.ABUSE,
                IS.ECONOMIC_HARDSHIP,
                IS.UNSTABLE_HOUSING,
                IS.SINGLE_PARENT,
                IS.SOCIAL_ISOLATION,
                IS.JOB_SEARCH_DIFFICULTY,
                IS.BUDGET_MANAGEMENT,
            ),
            "judgement": (
                "パート就労が始まり、生活の基盤はできつつある。一方で元夫が共通の知人を通じて連絡先を探っており、"
                "安全面の不安は続いている。住居確保給付金の終了後の家計を立て直すことと、"
                "支援措置の更新を確実に行うことを次のプランの柱とする。"
            ),
        },
    ),
    plan=PlanText(
        long_term_goal="「子どもと安心して暮らせる生活を、自分の仕事で支える」",
        short_term_goals="支援措置を確実に受け、住所を知られないようにする。家賃を確保しながら事務の仕事を見つける。",
        programmes=(P.HOUSING_BENEFIT,),
        items=(
            ItemText(
                IS.ABUSE,
                "元夫に居場所を知られずに暮らす",
                "不審な連絡は記録し、すぐに相談員か警察に伝える",
                "支援措置の申請・更新に同行し、学校と関係機関に情報の管理を依頼する",
                "welfare",
                CONTACTS["welfare_women"],
                None,
                "随時",
            ),
            ItemText(
                IS.UNSTABLE_HOUSING,
                "家賃を確保し、今の住まいで暮らし続ける",
                "申請書類をそろえ、求職活動を毎月報告する",
                "住居確保給付金の申請を支援する",
                "welfare",
                "officer",
                3,
                "月1回",
            ),
            ItemText(
                IS.JOB_SEARCH_DIFFICULTY,
                "事務の仕事に就く",
                "ハローワークで求職登録し、応募する",
                "求人探しと応募書類の作成を支援する",
                "hello_work",
                CONTACTS["hello_work"],
                6,
                "週1回",
            ),
        ),
    ),
    replan_evaluation=EvaluationText(
        attainments=(
            (A.PARTLY, "支援措置は続いている。元夫が知人を通じて連絡先を探っている"),
            (A.ACHIEVED, "支給期間中、家賃の滞りなし"),
            (A.ACHIEVED, "事務のパート（週4日）に就いた"),
        ),
        scores=((3, 4), (1, 2), (2, 3), (1, 2), (1, 3)),
        reason=(
            "事務のパートに就き、収入の見通しは立った。一方で住居確保給付金の支給が終わり、家計は厳しい。"
            "元夫が知人を通じて連絡先を探っており、安全面の支援は引き続き必要。"
            "家計の立て直しと支援措置の更新を柱に再プランとする。"
        ),
    ),
    replan=PlanText(
        long_term_goal="「子どもと安心して暮らし、パートの収入でやりくりできるようになる」",
        short_term_goals="支援措置の更新を確実に行う。給付金なしで家計を黒字にする。{town}に頼れる人を作る。",
        programmes=(P.HOUSEHOLD_BUDGET,),
        months=12,
        items=(
            ItemText(
                IS.ABUSE,
                "支援措置を更新し、安全に暮らし続ける",
                "更新の時期を手帳に書き、必要な書類を準備する",
                "更新の手続きに同行し、学校と職場での情報の管理を確認する",
                "welfare",
                CONTACTS["welfare_women"],
                None,
                "随時",
            ),
            ItemText(
                IS.BUDGET_MANAGEMENT,
                "パート収入と手当で家計を黒字にする",
                "家計表をつける。就学援助を申請する",
                "家計改善支援事業で家計表を作り、就学援助と児童扶養手当の手続きを確認する",
                "centre",
                "worker",
                12,
                "月1回",
            ),
            ItemText(
                IS.SOCIAL_ISOLATION,
                "困ったときに頼れる人を{town}に作る",
                "子の学校の行事に参加してみる",
                "ひとり親家庭の交流会を紹介する",
                "council",
                CONTACTS["council"],
                6,
                "月1回",
            ),
        ),
    ),
)

SHEETS["dv_partner"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.NON_REGULAR,
        housing=HousingStatus.ACQUAINTANCE,
        insurance=Insurance.EMPLOYEE,
        pension=Pension.PAYING,
        consent_agencies=("welfare", "housing"),
    ),
    assessment=AssessmentText(
        life_history="{town}出身。高校卒業後、市内で一人暮らしを始めた。2年ほど前から交際相手と同居していた。",
        work_history="市内の飲食店でパート（週5日）、3年勤務。職場には事情を話し、シフトを変えてもらえた。",
        education="県立高校卒業",
        health="腕のけがは治りかけている（受診済み）。",
        mental_health="「連れ戻されるのが怖い」と話す。夜眠れない日がある。",
        victimisation="同居していた交際相手から暴言と暴力。警察に相談済み。所在秘匿（相談機関の判断）を申請中。",
        monthly_income="130000",
        income_detail="パート収入 手取り月約13万円。",
        household_budget="現在は友人宅に身を寄せ、食費を入れている。新しい住まいの初期費用（約20万円）が用意できない。",
        debts="なし（交際相手名義の携帯電話の契約が残っている）",
        assets="預貯金 約5万円。",
        schemes_enrolled="勤務先の健康保険、厚生年金。",
        family="単身（友人宅に一時的に滞在）。両親は市内に住むが、交際を反対されて以来疎遠。",
        key_person="友人（現在の滞在先）",
        social_relations="職場の同僚、滞在先の友人。",
        desired_life="「安心して眠れる部屋がほしい。今の仕事は続けたい。」",
        issues=(IS.ABUSE, IS.UNSTABLE_HOUSING, IS.ECONOMIC_HARDSHIP, IS.MENTAL_HEALTH),
        judgement=(
            "交際相手からの暴力で住まいを失った状態。安全の確保を最優先に、女性相談員と連携して保護命令と支援措置を検"
            "討する。仕事は続けられており、初期費用の問題が解決すれば自立した生活が見込める。"
            "居住支援法人に保証人のいらない物件を相談する。"
        ),
        suicide_risk=SuicideRisk.LOW,
        emergency_note="安全確保のため所在秘匿を申請。女性相談員と連携し、危険が迫れば一時保護を検討する。",
    ),
)

SHEETS["single_parent"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.NON_REGULAR,
        housing=HousingStatus.PUBLIC,
        insurance=Insurance.NATIONAL,
        pension=Pension.EXEMPT,
        consent_agencies=("school", "council"),
    ),
    assessment=AssessmentText(
        life_history="{town}出身。5年前に離婚し、子2人と{town}に戻った。{family_line}。",
        work_history="スーパーのレジのパート（週5日、9時〜16時）。夜は内職（袋詰め）。以前は介護施設で働いていた。",
        education="県立高校卒業。介護職員初任者研修修了。",
        health="疲れがたまり、肩こりと頭痛が続いている。健康診断は数年受けていない。",
        mental_health="疲労が強い。「自分がもっと頑張れば」と話す。",
        monthly_income="163000",
        income_detail="パート収入 手取り約12万円、児童扶養手当 月約4万3千円、児童手当。",
        household_budget="公営住宅の家賃 月1万8千円。月末は食費が足りなくなる。長子の部活の費用や制服代の負担が重い。",
        debts="なし（元配偶者からの養育費は2年前から途絶えている）",
        assets="預貯金 約10万円。軽自動車。",
        schemes_enrolled="児童扶養手当、児童手当、ひとり親家庭等医療費助成。就学援助は未申請。",
        family=(
            "{family_line}。長子は3か月ほど前から学校を休みがち（ゲームで夜更かし）。次子は元気に登校。"
            "元配偶者とは連絡を取っていない。"
        ),
        key_person="本人の母（市内在住。時々子どもを見てくれる）",
        social_relations="職場以外の付き合いはほとんどない。長子の学校のスクールソーシャルワーカーとつながっている。",
        desired_life="「子どもたちにお金のことで我慢させたくない。上の子がまた学校に行けるようになってほしい。」",
        issues=(IS.SINGLE_PARENT, IS.ECONOMIC_HARDSHIP, IS.SCHOOL_REFUSAL, IS.CHILD_REARING),
        judgement=(
            "ひとり親でパートと内職を掛け持ちし、疲労が限界に近い。就学援助など使える制度を使えていない。"
            "長子の不登校には学習教室（子どもの学習・生活支援事業）で居場所を作り、学校と連携して登校につなげる。"
            "養育費の問題は法律相談につなぐ。"
        ),
        revision={
            "household_budget": (
                "就学援助の支給が始まり、学用品の負担は軽くなった。内職はやめた。月末の食費はまだ苦しい。"
            ),
            "family": "{family_line}。長子は学習教室に毎週通い、別室登校を始めた。次子は元気に登校。",
            "issues": (
                IS.SINGLE_PARENT,
                IS.ECONOMIC_HARDSHIP,
                IS.SCHOOL_REFUSAL,
                IS.CHILD_REARING,
                IS.BUDGET_MANAGEMENT,
            ),
            "judgement": (
                "長子は学習教室に通えるようになり、別室登校が始まった。母の疲れは少し軽くなったが、"
                "養育費が途絶えたままで家計に余裕はない。学習教室を続けつつ、養育費の請求と家計の見直しを次のプランの"
                "柱とする。"
            ),
        },
    ),
    plan=PlanText(
        long_term_goal="「子どもたちがそれぞれ元気に学校に通い、お金の心配を少なくして暮らす」",
        short_term_goals="長子が週1回学習教室に通う。就学援助を申請する。母の負担を減らす。",
        programmes=(P.CHILD_LEARNING,),
        months=12,
        items=(
            ItemText(
                IS.SCHOOL_REFUSAL,
                "長子が学習教室に週1回通い、学校とのつながりを取り戻す",
                "長子と見学に行き、送り迎えをする",
                "子どもの学習・生活支援事業（学習教室）につなぎ、学校・スクールソーシャルワーカーと情報を共有する",
                "council",
                CONTACTS["council_learning"],
                12,
                "週1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "就学援助を受け、学用品の負担を減らす",
                "申請書を記入し、学校に提出する",
                "申請書の記入を手伝う",
                "school",
                CONTACTS["school"],
                3,
                "随時",
            ),
            ItemText(
                IS.CHILD_REARING,
                "一人で抱え込まずに相談できる",
                "困ったときはセンターに電話する",
                "月1回の面談で話を聞き、休息の取り方を一緒に考える",
                "centre",
                "worker",
                12,
                "月1回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "別室登校ができるようになり、学習教室も休まず通っている"),
            (A.ACHIEVED, "就学援助が決定した"),
            (A.ACHIEVED, "内職をやめ、月1回の面談で相談できている"),
        ),
        scores=((2, 4), (2, 4), (1, 3), (2, 3), (3, 3)),
        reason=(
            "長子は別室登校ができるようになり、学習教室も休まず通っている。就学援助が決定し、"
            "家計に少しゆとりができた。本人も「一人で抱え込まなくていいと思えた」と話す。目標達成として終結する。"
            "学習教室は続ける。"
        ),
    ),
    replan_evaluation=EvaluationText(
        attainments=(
            (A.ACHIEVED, "毎週通っている。別室登校も始まった"),
            (A.ACHIEVED, "就学援助が決定した"),
            (A.PARTLY, "内職はやめられたが、家計の不安は残る"),
        ),
        scores=((2, 4), (2, 3), (1, 3), (2, 2), (3, 3)),
        reason=(
            "長子は学習教室に毎週通い、別室登校ができるようになった。就学援助も決定した。"
            "一方で養育費は途絶えたままで、家計の余裕はない。学習教室は続けながら、"
            "養育費の請求と家計の見直しを加えて再プランとする。"
        ),
    ),
    replan=PlanText(
        long_term_goal="「子どもたちが安心して学校に通い、家計のやりくりに余裕を持てるようにする」",
        short_term_goals="長子が別室登校を続ける。養育費を請求する手続きを始める。家計を見直す。",
        programmes=(P.CHILD_LEARNING, P.HOUSEHOLD_BUDGET),
        months=12,
        items=(
            ItemText(
                IS.SCHOOL_REFUSAL,
                "長子が別室登校を続け、教室に入る日を作る",
                "長子の話を聞き、学習教室を続ける",
                "学習教室を続け、学校・スクールソーシャルワーカーと月1回情報を共有する",
                "council",
                CONTACTS["council_learning"],
                12,
                "週1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "養育費の取り決めをし、支払いを受ける",
                "法律相談に行き、必要な書類をそろえる",
                "法律相談の予約を取り、同行する",
                "legal",
                CONTACTS["legal"],
                6,
                "随時",
            ),
            ItemText(
                IS.BUDGET_MANAGEMENT,
                "家計表をつけ、月末の赤字をなくす",
                "家計表を月1回持ってくる",
                "家計改善支援事業で収支を一緒に見直す",
                "centre",
                "worker",
                12,
                "月1回",
            ),
        ),
    ),
)

SHEETS["elderly_food"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.NOT_WORKING,
        housing=HousingStatus.OWNED,
        insurance=Insurance.LATE_ELDERLY,
        pension=Pension.RECEIVING,
        consent_agencies=("community_care", "food_bank"),
        consent_method=ConsentMethod.SPOKEN,
    ),
    assessment=AssessmentText(
        life_history=(
            "{town}で生まれ育ち、若い頃から家の農業と近くの工場勤めを続けてきた。配偶者を10年前に亡くし、"
            "以後一人暮らし。"
        ),
        work_history="農業と縫製工場のパート（60歳まで）。現在は就労していない。",
        education="中学校卒業",
        health="高血圧で月1回通院。膝が痛く、長く歩けない。本人の話では、半年で体重が5kgほど減った。",
        monthly_income="{pension}0000",
        income_detail="老齢基礎年金のみ（月約{pension}万円）。",
        household_budget=(
            "持ち家で家賃なし。通院の医療費、電気・灯油代が負担。年金の支給日前は食費を切り詰めている。"
            "電気料金の督促状が届いていた。"
        ),
        debts="電気料金 1か月分の滞納（督促状あり）。",
        debt_total="8000",
        assets="自宅（古い木造平屋、本人名義）。預貯金なし。",
        schemes_enrolled="{insurance}。介護保険は未申請。年金生活者支援給付金は未申請だった。",
        family="単身。子は県外に住み、年に1回電話がある程度で疎遠。",
        key_person="担当地区の民生委員（週1回声をかけてくれる）",
        social_relations="近所の人とはあいさつ程度。以前は地区の老人クラブに入っていたが、膝を痛めてからやめた。",
        desired_life="「この家で最期まで暮らしたい。人に迷惑はかけたくない。」",
        issues=(IS.ECONOMIC_HARDSHIP, IS.ILLNESS, IS.SOCIAL_ISOLATION, IS.BUDGET_MANAGEMENT),
        judgement=(
            "年金が少なく、支給日前に食べるものがなくなる状態。年金生活者支援給付金が未申請で、"
            "申請すれば収入が増える。配食サービスと地域包括の見守りで食事と健康を支え、介護保険の申請も検討する。"
            "本人は遠慮がちなので、頼ってよいことを繰り返し伝える。"
        ),
        emergency_note="所持金千円ほどで冷蔵庫がほぼ空。フードバンクおがちのから食料を届けた（緊急支援）。",
    ),
    plan=PlanText(
        long_term_goal="「この家で、食べることに困らずに暮らし続ける」",
        short_term_goals="年金生活者支援給付金を受け取る。配食サービスで毎日の食事をとる。",
        programmes=(P.HOUSEHOLD_BUDGET,),
        items=(
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "年金生活者支援給付金を受け取り、収入を増やす",
                "届いた書類をセンターの職員に見せる",
                "申請書の記入を手伝い、年金事務所への提出を支援する",
                "centre",
                "worker",
                3,
                "随時",
            ),
            ItemText(
                IS.BUDGET_MANAGEMENT,
                "年金の支給日まで食費が続くようにする",
                "支給日に2か月分の予算を封筒に分ける",
                "家計改善支援事業で年金の使い方を一緒に決める",
                "centre",
                "worker",
                6,
                "月1回",
            ),
            ItemText(
                IS.ILLNESS,
                "配食サービスで毎日食事をとり、体重を戻す",
                "配食を受け取り、通院を続ける",
                "配食サービスの利用と見守りを調整し、体調を確認する",
                "community_care",
                "partner",
                6,
                "週1回（見守り）",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "支給が始まり、収入が増えた"),
            (A.ACHIEVED, "封筒に分けるやり方が続き、支給日前に困らなくなった"),
            (A.ACHIEVED, "配食が続き、体重が戻った"),
        ),
        scores=((2, 4), (1, 3), (1, 3), (1, 3), (1, 1)),
        reason=(
            "年金生活者支援給付金の支給が始まり、配食サービスで食事も安定した。体重も戻り、"
            "民生委員の声かけも続いている。地域包括支援センターの見守りに引き継いで終結とする。"
        ),
    ),
)

SHEETS["illness_job_loss"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.JOB_SEEKING,
        housing=HousingStatus.RENTED,
        insurance=Insurance.NATIONAL,
        pension=Pension.EXEMPT,
        consent_agencies=("health", "hello_work", "disability"),
    ),
    assessment=AssessmentText(
        life_history="{town}出身。高校卒業後はずっと{town}で暮らしてきた。{family_line}。",
        work_history="高校卒業後、市内の住宅設備会社で約25年、営業職。{illness}で入院し、退院後も{after}。会社は退職した。",
        education="県立高校卒業。普通自動車免許（運転は主治医から控えるよう言われている）。",
        health="{illness}の後、{after}。定期的に通院し、服薬中。主治医の意見では軽作業なら就労可能。",
        disability_certificate=Certificate.SUSPECTED,
        disability_detail=("{illness}の後、{after}。身体障害者手帳の対象となる可能性があると主治医から説明を受けた。"),
        mental_health="「もう役に立たないのでは」と落ち込むことがある。",
        monthly_income="0",
        income_detail="収入なし。傷病手当金の支給は終わった。貯金を取り崩して生活している。",
        household_budget="家賃4万5千円、医療費 月約8千円、光熱費、食費。貯金の取り崩しで月約12万円の支出。",
        debts="なし",
        assets="預貯金 約30万円（あと2〜3か月分）。",
        schemes_enrolled="国民健康保険（退職後に加入）、高額療養費。国民年金は免除を申請中。",
        family="{family_line}。県内に弟がいる。",
        key_person="弟（県内在住。入院中の手続きを手伝ってくれた）",
        social_relations="元の職場の同僚とは今も付き合いがある。",
        desired_life="「体に合った仕事で、また人の役に立ちたい。営業で鍛えた話す力は活かせると思う。」",
        issues=(IS.ILLNESS, IS.DISABILITY_SUSPECTED, IS.ECONOMIC_HARDSHIP, IS.JOB_SEARCH_DIFFICULTY),
        judgement=(
            "病気による離職で、貯金が尽きる前に就労収入を得ることが課題。就労意欲が高く、"
            "長年の営業経験と人と話す力が強み。主治医の意見を踏まえ、座ってできる仕事を就労支援員と探す。"
            "住居確保給付金で家賃を確保し、障害者手帳の申請も並行して検討する。"
        ),
    ),
    plan=PlanText(
        long_term_goal="「体と相談しながら働き、自分の収入で暮らす」",
        short_term_goals="主治医の意見に沿った仕事に就く。就職するまで家賃を確保する。障害者手帳の申請を検討する。",
        programmes=(P.HOUSING_BENEFIT,),
        items=(
            ItemText(
                IS.JOB_SEARCH_DIFFICULTY,
                "座ってできる仕事に就く",
                "ハローワークの専門援助部門で求職登録し、応募する",
                "就労支援員が求人探しと応募を支援し、ハローワークに同行する",
                "centre",
                "employment",
                6,
                "週1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "就職するまで家賃を確保する",
                "求職活動を毎月報告する",
                "住居確保給付金の申請を支援する",
                "welfare",
                "officer",
                3,
                "月1回",
            ),
            ItemText(
                IS.DISABILITY_SUSPECTED,
                "障害者手帳を申請するかどうかを決める",
                "主治医に診断書について相談する",
                "基幹相談支援センターに相談をつなぐ",
                "disability",
                CONTACTS["disability"],
                3,
                "随時",
            ),
            ItemText(
                IS.ILLNESS,
                "通院と服薬を続け、体調を保つ",
                "通院を続け、体調の変化を伝える",
                "体調を確認し、必要なときは保健師と連携する",
                "health",
                CONTACTS["health"],
                6,
                "月1回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "事務補助の仕事に就き、週30時間に増やした"),
            (A.ACHIEVED, "支給期間中、家賃の滞りなし"),
            (A.PARTLY, "手帳は申請せず、必要になったら相談することにした"),
            (A.ACHIEVED, "通院を続け、体調は安定している"),
        ),
        scores=((3, 5), (3, 4), (2, 4), (1, 4), (1, 4)),
        reason=(
            "事務補助の仕事に採用され、勤務時間を週30時間に増やした。体調も安定しており、家賃も給料から払えている。"
            "就労による自立として終結する。"
        ),
    ),
)

SHEETS["young_neet"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.NOT_WORKING,
        housing=HousingStatus.OWNED,
        insurance=Insurance.EMPLOYEE,
        pension=Pension.UNPAID,
        consent_agencies=("hello_work", "company", "npo"),
        visitor="mother",
    ),
    assessment=AssessmentText(
        life_history=(
            "{town}出身。{family_line}。高校卒業後に就職したが半年で退職し、以後{years}年ほど自宅で過ごしている。"
        ),
        work_history=(
            "高校卒業後、市内の会社で事務職（半年）。電話応対で強く叱られたことがつらく退職。以後、"
            "コンビニと工場のアルバイトをしたが、いずれも1か月続かなかった。"
        ),
        education="県立高校卒業",
        health="特記なし。昼夜逆転ぎみで、朝起きるのが苦手。",
        mental_health="人前で話すことへの苦手意識が強い。受診歴なし。",
        monthly_income="0",
        income_detail="本人の収入なし。父の給与と母のパート収入で生活。",
        household_budget="小遣いは母から月1万円。携帯電話代は親が払っている。",
        debts="なし",
        assets="本人名義の預金 約15万円（アルバイトの貯金）。",
        schemes_enrolled="父の健康保険の被扶養者。国民年金は未納。",
        family="{family_line}。父は「甘えだ」と厳しく、本人とはほとんど話さない。母は本人を心配している。",
        key_person="母（相談のきっかけをつくった）",
        social_relations="高校時代の友人とSNSで時々やり取りする程度。",
        desired_life="「人と話すのは苦手だけど、体を動かす仕事ならやってみたい。自分のお金で暮らしたい。」",
        issues=(
            IS.JOB_SEARCH_DIFFICULTY,
            IS.IRREGULAR_LIFE,
            IS.SOCIAL_ISOLATION,
            IS.FAMILY_PROBLEMS,
            IS.COMMUNICATION,
        ),
        judgement=(
            "前の職場でのつらい経験から、働くことへの不安が強い。体を動かす作業への意欲があり、"
            "黙々と取り組めるのは強み。就労準備支援事業で生活リズムを整え、おがちの農産での就労体験から段階的に就労を"
            "目指す。父との関係は母を通じて見守る。"
        ),
    ),
    plan=PlanText(
        long_term_goal="「自分に合った仕事を見つけて、自分のお金で暮らせるようになる」",
        short_term_goals="朝7時に起きる生活にする。就労体験に週2回から通う。",
        programmes=(P.WORK_PREPARATION,),
        months=12,
        items=(
            ItemText(
                IS.IRREGULAR_LIFE,
                "朝7時に起きる生活を続ける",
                "起きた時間を記録し、就労体験の日は遅刻しない",
                "就労準備支援事業で生活リズムの記録を一緒に振り返る",
                "centre",
                "employment",
                6,
                "週1回",
            ),
            ItemText(
                IS.JOB_SEARCH_DIFFICULTY,
                "おがちの農産での就労体験に週3回通う",
                "就労体験に通い、作業の感想を伝える",
                "就労体験先と作業内容を調整し、様子を定期的に確認する",
                "company",
                CONTACTS["company"],
                6,
                "週2〜3回",
            ),
            ItemText(
                IS.COMMUNICATION,
                "あいさつと報告ができるようになる",
                "作業の始めと終わりに担当者に報告する",
                "面接の練習と、報告・相談の練習をする",
                "centre",
                "employment",
                12,
                "月2回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "遅刻なく、朝7時に起きられるようになった"),
            (A.ACHIEVED, "週3回通い、パートとしての雇用が決まった"),
            (A.PARTLY, "報告はできるようになったが、電話はまだ苦手"),
        ),
        scores=((2, 4), (2, 3), (1, 4), (2, 3), (1, 4)),
        reason=(
            "おがちの農産での就労体験を経て、パートとして雇用されることが決まった。生活リズムも整った。"
            "就労による自立として終結を提案する。本人は「続けられるか不安もあるけど頑張る」と話しており、"
            "終結後も電話で様子を確認する。"
        ),
    ),
)

SHEETS["housing_loss"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.JOB_SEEKING,
        housing=HousingStatus.COMPANY,
        insurance=Insurance.NONE,
        pension=Pension.UNKNOWN,
        consent_agencies=("housing", "council", "food_bank"),
    ),
    assessment=AssessmentText(
        life_history=(
            "県南の農村の出身。中学卒業後、住み込みの仕事を転々としてきた。直近は{workplace}に住み込みで約10年。単身。"
        ),
        work_history=(
            "中学卒業後、建設現場、旅館、製材所などで住み込み勤務。直近は{workplace}で清掃と雑務を担当していたが、"
            "閉鎖により失職。"
        ),
        education="中学校卒業",
        health="大きな病気はない。歯が悪く、硬い物が食べにくい。健康診断は長く受けていない。",
        monthly_income="0",
        income_detail="収入なし。最後の給料は受け取り済み。所持金は5千円ほど。",
        household_budget="これまで家賃と光熱費は寮費として給料から天引きされていた。自分で家計を管理した経験が少ない。",
        debts="携帯電話の料金未納（約1万5千円、利用停止中）。",
        debt_total="15000",
        assets="なし",
        schemes_enrolled="勤務先の健康保険は資格を喪失。国民健康保険の加入手続きが済んでいない。年金の加入期間は不明。",
        family="単身。両親は他界。兄弟とは長く連絡を取っていない。",
        key_person="なし（保証人になってくれる親族もいない）",
        social_relations="{workplace}の元同僚と時々連絡を取る。",
        desired_life="「屋根のある所で暮らせればいい。まだ働けるうちは働きたい。」",
        issues=(
            IS.UNSTABLE_HOUSING,
            IS.ECONOMIC_HARDSHIP,
            IS.BUDGET_MANAGEMENT,
            IS.SOCIAL_ISOLATION,
            IS.EARLY_SCHOOL_LEAVING,
        ),
        judgement=(
            "住み込みの職を失い、月末で住まいも失う。所持金もわずかで緊急性が高い。"
            "居住支援法人の協力で保証人のいらない物件に入居し、住居確保給付金で家賃を支えながら就労を目指す。"
            "自分で家計を管理した経験が少ないため、入居後の生活の立ち上げを支える。年金の加入記録を確認する。"
        ),
        emergency_note=(
            "所持金5千円ほど。フードバンクおがちのから食料を提供した（緊急支援）。今月末で寮を退去しなければならない。"
        ),
    ),
    plan=PlanText(
        long_term_goal="「自分の部屋で暮らし、働いて家賃を払えるようになる」",
        short_term_goals=(
            "月末までに入居先を決める。入居後の家賃を確保する。国民健康保険に加入し、年金の記録を確かめる。"
        ),
        programmes=(P.HOUSING_SUPPORT, P.HOUSING_BENEFIT),
        items=(
            ItemText(
                IS.UNSTABLE_HOUSING,
                "保証人なしで入れる住まいに入居する",
                "内見し、入居の手続きをする",
                "居住支援事業で物件探し・保証会社の審査・入居後の見守りを支援する",
                "housing",
                CONTACTS["housing"],
                3,
                "週1回（入居後は月2回）",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "就職するまで家賃を確保する",
                "求職活動を毎月報告する",
                "住居確保給付金の申請を支援する",
                "welfare",
                "officer",
                3,
                "月1回",
            ),
            ItemText(
                IS.BUDGET_MANAGEMENT,
                "家賃と公共料金を自分で払えるようになる",
                "支払い日をカレンダーに書く",
                "転居後の公共料金の手続きと支払いを一緒に確認する",
                "centre",
                "worker",
                6,
                "月2回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "国民健康保険に加入し、年金を受け取れるかを確かめる",
                "年金事務所と市民課の窓口に行く",
                "年金事務所と市民課の手続きに同行する",
                "centre",
                "worker",
                3,
                "随時",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "入居して生活が落ち着いている"),
            (A.ACHIEVED, "スーパーの品出しのパートに就き、家賃は自分で払えている"),
            (A.ACHIEVED, "支払いの遅れなし"),
            (A.ACHIEVED, "国民健康保険に加入。年金も受給できる見込み"),
        ),
        scores=((2, 4), (1, 3), (1, 3), (1, 3), (1, 3)),
        reason=(
            "居住支援法人の支援で入居し、スーパーの品出しのパートで家賃を払えている。年金も受給できる見込みとなった。"
            "住まいの確保と生活の安定として終結を提案する。"
        ),
    ),
)

SHEETS["tax_arrears"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.SELF_EMPLOYED,
        housing=HousingStatus.OWNED,
        insurance=Insurance.NATIONAL,
        pension=Pension.PAYING,
        consent_agencies=("welfare", "council"),
    ),
    assessment=AssessmentText(
        life_history="{town}出身。20代で家業を継いだ。{family_line}。",
        work_history="{trade}を30年近く続けている。ここ数年で売上が落ち込み、前年は例年の半分ほどだった。",
        education="県立高校卒業",
        health="腰痛。高血圧で服薬中。",
        monthly_income="150000",
        income_detail="事業収入 月15万円前後（月による変動が大きい）。配偶者のパート収入 月約6万円。",
        household_budget="事業の経費と生活費が分けられていない。帳簿は配偶者がつけている。電気料金を2か月滞納。",
        debts=(
            "市民税・国民健康保険税の滞納 約40万円。事業用の借入（信用金庫）残高 約150万円。"
            "電気料金 2か月分（約3万円）。"
        ),
        debt_total="1930000",
        assets="自宅兼店舗（本人名義）。事業用の設備。預貯金はほとんどない。",
        schemes_enrolled="国民健康保険、国民年金。",
        family="{family_line}。配偶者が帳簿をつけ、仕事を手伝っている。",
        key_person="配偶者（帳簿と家計を担っている）",
        social_relations="商店会の仲間や常連客とのつながりがある。",
        desired_life="「仕事はできるだけ続けたい。税金はきちんと払って、肩身の狭い思いをしないで暮らしたい。」",
        issues=(IS.ECONOMIC_HARDSHIP, IS.DEBT, IS.BUDGET_MANAGEMENT),
        judgement=(
            "売上の減少で税と公共料金の滞納が重なっている。事業と生活の収支が混ざっており、実態が見えにくい。"
            "家計改善支援事業で事業と家計を分けて収支を整理し、無理のない分納計画を立てて税務課と相談する。"
            "事業を続けるかどうかも、収支を見たうえで本人と考える。"
        ),
    ),
    # The plan a 支援調整会議 sends back ("returned") is this one without its last row and
    # without the programme: the meeting asked for the household budget to be added.
    plan=PlanText(
        long_term_goal="「仕事を続けながら、税金と公共料金を滞りなく払える暮らしにする」",
        short_term_goals="税務課と分納の計画を決める。電気料金の滞納を解消する。事業と家計の収支を分けて把握する。",
        programmes=(P.HOUSEHOLD_BUDGET,),
        months=12,
        items=(
            ItemText(
                IS.DEBT,
                "無理のない分納計画で税の滞納を減らす",
                "確定申告の書類をそろえ、分納の約束を守る",
                "税務課との分納相談に同行する",
                "centre",
                "worker",
                12,
                "月1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "電気料金の滞納を解消する",
                "電力会社に支払いの猶予を相談する",
                "支払いの計画を一緒に作る",
                "centre",
                "worker",
                3,
                "随時",
            ),
            ItemText(
                IS.BUDGET_MANAGEMENT,
                "事業と家計の収支を分けて把握し、毎月の赤字をなくす",
                "夫婦で家計表と帳簿をつける",
                "家計改善支援事業で事業と家計の収支表を作り、月1回見直す",
                "centre",
                "worker",
                12,
                "月1回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "月2万円の分納が3か月続いている"),
            (A.ACHIEVED, "電気料金の滞納を解消した"),
            (A.PARTLY, "家計と事業の帳簿は分けられたが、売上の波は大きい"),
        ),
        scores=((3, 4), (3, 3), (3, 3), (1, 3), (3, 3)),
        reason=(
            "税務課と合意した月2万円の分納が3か月続き、電気料金の滞納も解消した。"
            "家計と事業の帳簿を分けてつけられるようになり、夫婦で収支を確認できている。"
            "家計の見直しは本人たちで続けられると判断し、終結を提案する。"
        ),
    ),
)

SHEETS["care_leave"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.JOB_SEEKING,
        housing=HousingStatus.OWNED,
        insurance=Insurance.NATIONAL,
        pension=Pension.PAYING,
        consent_agencies=("community_care", "hello_work"),
    ),
    assessment=AssessmentText(
        life_history="{town}出身。県内の介護施設で働いていたが、母の介護のため実家に戻った。{family_line}。",
        work_history="介護施設で介護職として約20年勤務（介護福祉士）。母の介護が重くなり、1年前に退職した。",
        education="県立高校卒業。介護福祉士。",
        health="介護疲れで眠れない日が多い。腰痛。",
        mental_health="疲労が強く、「自分がやらなければ」と抱え込んでいる。",
        monthly_income="70000",
        income_detail="母の年金（月約7万円）。本人の収入なし。",
        household_budget="持ち家で家賃なし。母の介護サービス費とおむつ代、光熱費。貯金を月5万円ほど取り崩している。",
        debts="なし",
        assets="預貯金 約60万円（減り続けている）。自宅（母名義）。",
        schemes_enrolled="母：介護保険（要介護3）、後期高齢者医療。本人：国民健康保険、国民年金。",
        family="{family_line}。母は要介護3。兄が県外にいるが、介護には関わっていない。",
        key_person="地域包括支援センターの担当者（母のケアプランを調整）",
        social_relations="元の職場の同僚と時々連絡を取る。介護で外出の機会は少ない。",
        desired_life="「母の介護は続けたい。でも自分の生活も守りたい。資格を活かして少しでも働きたい。」",
        issues=(IS.CARE, IS.ECONOMIC_HARDSHIP, IS.JOB_SEARCH_DIFFICULTY),
        judgement=(
            "介護離職で収入が途絶え、貯金が底をつく前に就労収入が必要。介護福祉士の資格と経験があり、"
            "母のデイサービスの時間に合わせた短時間勤務なら働ける。地域包括と介護サービスを見直して本人の時間を作り、"
            "就労支援員と求人を探す。本人の疲労にも目を配る。"
        ),
    ),
    plan=PlanText(
        long_term_goal="「母の介護と仕事を両立し、自分の収入で暮らす」",
        short_term_goals="母のデイサービスを週3回にする。短時間勤務の仕事に就く。",
        items=(
            ItemText(
                IS.CARE,
                "母のデイサービスとショートステイを使い、本人が休める時間を作る",
                "ケアマネジャーとの面談に参加する",
                "地域包括支援センターがケアプランの見直しを調整する",
                "community_care",
                "partner",
                6,
                "月1回",
            ),
            ItemText(
                IS.JOB_SEARCH_DIFFICULTY,
                "介護の時間に合わせた短時間勤務に就く",
                "ハローワークで求職登録し、応募する",
                "就労支援員が短時間勤務の求人を探し、面接に同行する",
                "centre",
                "employment",
                6,
                "週1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "貯金の取り崩しを止める",
                "家計表をつける",
                "介護保険の負担限度額認定など、使える制度を確認する",
                "centre",
                "worker",
                6,
                "月1回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "デイサービス週3回とショートステイ月1回で、本人も休めている"),
            (A.ACHIEVED, "介護施設の短時間勤務に就いた"),
            (A.ACHIEVED, "収入が月10万円ほどになり、取り崩しは止まった"),
        ),
        scores=((2, 4), (2, 4), (1, 3), (1, 3), (1, 4)),
        reason=(
            "介護施設での短時間勤務が続き、仕事と介護を両立できている。母のサービスも安定し、本人も休めている。"
            "就労による自立として終結する。"
        ),
    ),
)

SHEETS["isolation"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.NOT_WORKING,
        housing=HousingStatus.OWNED,
        insurance=Insurance.NATIONAL,
        pension=Pension.RECEIVING,
        consent_agencies=("community_care", "council"),
        consent_method=ConsentMethod.SPOKEN,
    ),
    assessment=AssessmentText(
        life_history="{town}生まれ。長く市内で暮らしてきた。配偶者を亡くしてから一人暮らし。",
        work_history="市内の縫製工場や建設会社などで定年まで勤務。",
        education="中学校卒業",
        health="膝の痛みで外出がおっくう。1年ほど受診していない。以前、血圧が高いと言われた。",
        monthly_income="75000",
        income_detail="老齢年金 月約7万5千円。",
        household_budget="持ち家で家賃なし。冬の灯油代が負担。食事は簡単なもので済ませている。",
        debts="なし",
        assets="自宅（本人名義）。預貯金が少し。",
        schemes_enrolled="{insurance}。介護保険は未申請。",
        family="単身。娘が県外にいて、年賀状のやり取りのみ。",
        key_person="地区の民生委員",
        social_relations="隣家とは自治会の当番のことでもめて以来、口をきいていない。近所づきあいはない。",
        desired_life="「誰にも迷惑をかけずに、この家で静かに暮らしたい。お茶っこ飲みなら行ってもいい。」",
        issues=(IS.SOCIAL_ISOLATION, IS.ILLNESS, IS.FAMILY_PROBLEMS),
        judgement=(
            "地域から孤立し、膝の痛みで外出も減っている。受診も途絶えており、冬に除雪ができないことによる危険もある。"
            "地区のサロンへの参加と除雪ボランティアで地域とのつながりを作り、地域包括と一緒に受診と介護保険の申請を勧"
            "める。本人の気持ちを尊重し、押しつけない関わりを心がける。"
        ),
        revision={
            "social_relations": (
                "サロンに通い始めた頃、隣家との関係がこじれて一時期外出しなくなり、連絡も途絶えた。"
                "民生委員の声かけで再び話せるようになった。"
            ),
            "judgement": (
                "いったん連絡が途絶えたが、本人から電話があり支援を再開した。地域とのつながりを取り戻すことを引き続き"
                "目標とし、冬の除雪の体制を整える。訪問の間隔は本人と相談して決める。"
            ),
        },
    ),
    plan=PlanText(
        long_term_goal="「この家で、近所の人と行き来しながら暮らし続ける」",
        short_term_goals="地区のサロンに月2回通う。冬に向けて除雪ボランティアを登録する。膝の受診をする。",
        months=12,
        items=(
            ItemText(
                IS.SOCIAL_ISOLATION,
                "地区のサロンに月2回通う",
                "サロンの日に出かける",
                "サロンに同行し、民生委員に声かけを頼む",
                "council",
                CONTACTS["council"],
                12,
                "月2回",
            ),
            ItemText(
                IS.ILLNESS,
                "膝を受診し、外出しやすくする",
                "かかりつけ医を受診する",
                "受診の予約を手伝い、地域包括と介護保険の申請を検討する",
                "community_care",
                "partner",
                6,
                "月1回",
            ),
            ItemText(
                IS.SOCIAL_ISOLATION,
                "冬の除雪を頼める体制を作る",
                "除雪ボランティアに登録する",
                "社協の除雪ボランティアにつなぐ",
                "council",
                CONTACTS["council"],
                6,
                "冬期（随時）",
            ),
        ),
    ),
)

SHEETS["foreign_resident"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.JOB_SEEKING,
        housing=HousingStatus.RENTED,
        insurance=Insurance.EMPLOYEE,
        pension=Pension.PAYING,
        consent_agencies=("hello_work", "council"),
    ),
    assessment=AssessmentText(
        life_history="フィリピン出身。結婚して{town}に住んで12年。{family_line}。",
        work_history="母国で看護助手として3年勤務。来日後は食品工場のパート（5年）。出産を機に退職した。",
        education="母国の高校卒業、看護助手の養成課程修了。",
        health="特記なし。",
        monthly_income="150000",
        income_detail="夫の傷病手当金（月約15万円）のみ。",
        household_budget="家賃5万円の民間アパート。子の学用品、母国の家族への国際電話代。母国への仕送りは止めている。",
        debts="なし",
        assets="預貯金 約20万円。",
        schemes_enrolled="夫の健康保険の被扶養者（夫は傷病手当金を受給中）。児童手当。",
        family="{family_line}。夫は腰の手術で休職中。母国に両親ときょうだいがいる。",
        key_person="夫",
        social_relations="教会の仲間（フィリピン出身の友人）がいる。日本人の知り合いは少ない。",
        desired_life="「日本で家族と暮らし続けたい。看護の経験を活かして働きたい。漢字も勉強したい。」",
        issues=(IS.FOREIGN_NATIONALITY, IS.ECONOMIC_HARDSHIP, IS.JOB_SEARCH_DIFFICULTY, IS.PERSONAL_ABILITY),
        judgement=(
            "日常会話はできるが漢字の読み書きが難しく、求人票や書類で困っている。"
            "看護助手の経験と英語・タガログ語の力は強み。ルビ付きの求人票や職場のマニュアルを用意してもらい、"
            "介護施設の補助の仕事を中心に探す。日本語教室で読み書きの力をつける。"
        ),
    ),
    plan=PlanText(
        long_term_goal="「自分も働いて、家族の生活を支える」",
        short_term_goals="介護施設の補助の仕事に就く。日本語教室に通う。",
        items=(
            ItemText(
                IS.JOB_SEARCH_DIFFICULTY,
                "介護施設の補助の仕事に就く",
                "求人に応募し、見学と面接に行く",
                "就労支援員がルビ付きの求人票を用意し、見学と面接に同行する",
                "centre",
                "employment",
                6,
                "週1回",
            ),
            ItemText(
                IS.PERSONAL_ABILITY,
                "仕事や暮らしの書類を読めるようになる",
                "日本語教室に週1回通う",
                "日本語教室を紹介し、書類の読み方を一緒に確認する",
                "council",
                CONTACTS["council_japanese"],
                None,
                "週1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "夫の休職中の収入を確保する",
                "夫の傷病手当金の手続きを確認する",
                "傷病手当金の申請状況を確認し、家計を一緒に見直す",
                "centre",
                "worker",
                6,
                "月1回",
            ),
        ),
    ),
)

SHEETS["mental_health"] = SheetStory(
    intake=IntakeText(
        work=WorkStatus.REGULAR,
        housing=HousingStatus.RENTED,
        insurance=Insurance.EMPLOYEE,
        pension=Pension.PAYING,
        consent_agencies=("health", "council"),
    ),
    assessment=AssessmentText(
        life_history="{town}出身。大学進学で県外に出たが、就職を機に戻ってきた。単身でアパート暮らし。",
        work_history=(
            "市内の会社で営業事務として8年勤務（正社員）。2年前の異動後、上司からの叱責が続き、"
            "半年前から眠れなくなった。現在休職中。"
        ),
        education="県外の私立大学卒業",
        health="不眠。心療内科に月2回通院し、服薬中。食欲は戻りつつある。",
        mental_health="心療内科で適応障害と診断された。職場のことを考えると動悸がする。",
        monthly_income="160000",
        income_detail="傷病手当金（給与の約3分の2、月約16万円）。",
        household_budget="家賃5万2千円。通院費と薬代。貯金を少しずつ取り崩している。",
        debts="なし",
        assets="預貯金 約80万円（減ってきている）。",
        schemes_enrolled="勤務先の健康保険、傷病手当金。自立支援医療（精神通院）を申請中。",
        family="単身。両親は市内に住み、週末に顔を見せに行く。",
        key_person="母（市内在住）",
        social_relations="大学時代の友人と時々連絡を取る。",
        desired_life="「ぐっすり眠れるようになりたい。働くことは好きなので、無理のない形で仕事を続けたい。」",
        issues=(IS.MENTAL_HEALTH, IS.JOB_RETENTION_DIFFICULTY, IS.ECONOMIC_HARDSHIP),
        judgement=(
            "職場の人間関係による不調で休職中。治療を続けており、回復の兆しがある。"
            "主治医の意見を踏まえて復職か転職かを本人が選べるよう、情報を整理して支える。"
            "休職が長引いた場合の収入と家計にも備える。"
        ),
        suicide_risk=SuicideRisk.LOW,
    ),
    plan=PlanText(
        long_term_goal="「眠れる生活を取り戻し、無理のない働き方を続ける」",
        short_term_goals="主治医の意見を聞いて、復職か転職かを決める。休職中の家計を見直す。",
        programmes=(P.HOUSEHOLD_BUDGET,),
        items=(
            ItemText(
                IS.MENTAL_HEALTH,
                "治療を続け、睡眠を安定させる",
                "通院と服薬を続け、睡眠を記録する",
                "保健センターの心の相談と連携し、体調を確認する",
                "health",
                CONTACTS["health"],
                6,
                "月1回",
            ),
            ItemText(
                IS.JOB_RETENTION_DIFFICULTY,
                "主治医と相談し、無理のない形で復職する",
                "主治医の意見を聞き、職場と面談する",
                "復職の段取りを一緒に整理し、復職後も月1回面談する",
                "centre",
                "worker",
                6,
                "月1回",
            ),
            ItemText(
                IS.ECONOMIC_HARDSHIP,
                "休職中も貯金を減らしすぎない",
                "家計表をつける",
                "家計改善支援事業で休職中の家計を見直す",
                "centre",
                "worker",
                6,
                "月1回",
            ),
        ),
    ),
    closure=EvaluationText(
        attainments=(
            (A.ACHIEVED, "睡眠は安定している。通院は続けている"),
            (A.ACHIEVED, "配置転換のうえ、短時間勤務から復職して2か月"),
            (A.ACHIEVED, "復職して取り崩しは止まった"),
        ),
        scores=((2, 4), (2, 3), (2, 4), (3, 4), (2, 4)),
        reason=(
            "配置転換のうえで復職して2か月。睡眠も安定し、通院は続けている。困ったときの相談先を一緒に確認したうえで"
            "、終結を提案する。"
        ),
    ),
)
