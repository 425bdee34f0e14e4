"""The support stories the demo cases are made of.

A story is one kind of situation the seed text describes (job loss and rent arrears,
8050, debt, DV, a lone parent, an old person with nothing to eat...): its 主訴, how it
reached the centre, who the person is, and the progress notes a 相談支援員 would write
at each phase of the support process. The loader picks names, dates and details.

Note phases: "intake" (the first contact), "early" (before the assessment),
"assess" (assessment to decision), "support" (in support), "late" (evaluation and
closure), "follow" (after closure), "handoff" and "info" (the screening outcomes).
Placeholders: {town}, {office}, {age}, {other_age} and the story's own `choices`.
"""

from typing import NamedTuple

from tsunagu.cases.models import ClosureReason, Concern, IntakeRoute, NoteMethod

C = Concern
M = NoteMethod


class NoteText(NamedTuple):
    phase: str
    method: str
    participants: str
    content: str
    response: str = ""
    next_action: str = ""
    shared: bool = False
    # "worker" (the case's worker) or the username of the team member who writes it.
    author: str = "worker"


class Story(NamedTuple):
    key: str
    concerns: tuple[str, ...]  # the first is the biggest (is_primary)
    route: str
    sex: str | None  # "male", "female" or None for either
    ages: tuple[int, int]
    household: str
    summary: str
    notes: tuple[NoteText, ...]
    tasks: tuple[str, ...] = ()
    team: tuple[str, ...] = ()  # "partner", "employment", "coordinator"
    choices: dict[str, tuple[str, ...]] = {}
    handoff_to: str = ""  # agency key, for stories that end in a referral
    screening_reason: str = ""
    decider: str = "chief"  # who makes the 支援決定: "chief" or "officer"
    closure_reason: str = ClosureReason.GOALS_MET


STORIES: dict[str, Story] = {}


def _story(story: Story) -> None:
    STORIES[story.key] = story


_story(
    Story(
        key="rent_arrears",
        concerns=(C.INCOME, C.RENT_LOAN, C.JOB_SEARCH),
        route=IntakeRoute.WALK_IN,
        sex="male",
        ages=(34, 59),
        household="single_or_couple",
        summary=(
            "{job}の仕事を失い収入が途絶えた。家賃を{months}か月滞納しており、大家さんから退去を心配する連絡が"
            "来ている。住居確保給付金の利用と早期の再就職を希望。"
        ),
        choices={
            "job": ("製造業の派遣", "建設現場", "運送会社のドライバー", "スーパーの鮮魚部門", "自動車部品工場"),
            "months": ("2", "3"),
            "cash": ("2万", "8千", "1万5千"),
        },
        team=("employment",),
        decider="officer",
        closure_reason=ClosureReason.SELF_RELIANT,
        tasks=(
            "住居確保給付金の申請書類（離職票・通帳・賃貸借契約書）を確認する",
            "大家さんとの分納の相談に同行する",
            "給付金の支給状況を福祉課に確認する",
            "勤務開始後の様子を電話で確認する",
        ),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人",
                "{job}の仕事を失い、収入が途絶えている。家賃を{months}か月滞納しており、大家さんから連絡が来ている。"
                "所持金は約{cash}円。",
                "住居確保給付金の制度を説明し、申請に必要な書類（離職票、通帳、賃貸借契約書）を案内した。"
                "当面の食料としてフードバンクおがちのの利用を提案し、本人同意。",
                "書類がそろったら再来所。大家さんへの連絡方法を一緒に考える。",
            ),
            NoteText(
                "early",
                M.PHONE,
                "本人",
                "離職票が届いたと本人から連絡。大家さんには自分から事情を伝え、分納について相談したいとのこと。",
                "大家さんとの話し合いに同行することを提案し、本人も希望した。",
                "大家さん宅へ同行（分納の相談）",
            ),
            NoteText(
                "early",
                M.ACCOMPANY,
                "本人、大家さん",
                "大家さん宅へ同行。家賃滞納{months}か月分は月1万円ずつの分納で了承を得た。給付金が決定すれば家賃は"
                "大家さんの口座に直接振り込まれることを説明した。",
                "分納の約束を書面にまとめ、双方で確認した。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人、就労支援員",
                "アセスメント。高校卒業後、製造業を中心に働いてきた。腰痛の持病あり、重い物を長時間持つ仕事は難しい。"
                "普通自動車免許あり。支出は食費と携帯電話代が大きい。",
                "就労支援員と面談し、ハローワークでの求職登録を一緒に行うことにした。住居確保給付金の申請書を作成。",
                "プラン案を作成し支援調整会議へ",
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人、ハローワーク雄勝野 職業相談員",
                "ハローワーク雄勝野へ同行し求職登録。倉庫内作業と配送助手の求人2件に応募することになった。",
                "応募書類の書き方を一緒に確認。面接の練習を次回行う。",
                "面接練習（来所）",
                shared=True,
                author="employment",
            ),
            NoteText(
                "support",
                M.PHONE,
                "本人",
                "倉庫内作業の会社から採用の連絡があったと報告。来月1日から勤務開始。声が明るい。",
                "住居確保給付金の常用就職届の手続きを案内。初任給までの生活費を家計表で一緒に確認した。",
                "勤務開始後2週間で様子を確認する",
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人",
                "就労3か月。家賃の分納も予定どおり進んでいる。本人「仕事にも慣れてきた。夜眠れるようになった」。",
                "評価面談を実施。プランの目標はおおむね達成。終結について本人と確認し、困ったときはいつでも連絡して"
                "よいことを伝えた。",
            ),
            NoteText(
                "follow",
                M.PHONE,
                "本人",
                "終結後の確認の電話。勤務は続いており、滞納分は完済したとのこと。",
                "季節の出費（冬の灯油代など）で家計が苦しくなったら、早めに相談するよう伝えた。",
            ),
        ),
    )
)

_story(
    Story(
        key="hikikomori_8050",
        concerns=(C.WITHDRAWAL, C.FAMILY, C.INCOME, C.CARE),
        route=IntakeRoute.AGENCY_REFERRAL,
        sex="male",
        ages=(49, 58),
        household="parent_8050",
        summary=(
            "母（{other_age}歳）の介護保険の相談で訪問した地域包括支援センターから紹介。本人は{years}年ほど前に離職して以来、"
            "自宅にひきこもっている。母の年金で二人暮らし。母は自分が亡くなった後の本人の生活を心配している。"
        ),
        choices={"years": ("15", "20", "12"), "pension": ("9", "11", "7")},
        team=("partner", "coordinator"),
        tasks=(
            "本人宛の手紙を届ける",
            "国民年金の免除申請書を用意する",
            "ひだまりの家の利用状況を確認する",
            "地域包括支援センターと訪問日程を調整する",
        ),
        notes=(
            NoteText(
                "intake",
                M.HOME_VISIT,
                "本人、母、地域包括支援センター職員",
                "地域包括の職員と自宅を訪問し母と面談。本人は自室から出てこなかったが、襖越しにあいさつはできた。",
                "母に、急がず本人のペースで関わっていくことを伝えた。次回は本人宛の手紙を置いていく。",
                "2週間後に再訪問",
                shared=True,
            ),
            NoteText(
                "early",
                M.HOME_VISIT,
                "母",
                "本人宛の手紙を置いてきた。母によると手紙は読んだ様子。夜中に近くのコンビニへ行くことはあるとのこと。",
                "訪問を月2回続ける。母の介護サービスの利用状況は地域包括と共有する。",
            ),
            NoteText(
                "early",
                M.HOME_VISIT,
                "本人、母",
                "初めて本人と居間で15分ほど話せた。パソコンが得意で、以前はプログラムを書く仕事をしていたという。"
                "お金の話になると表情が硬くなる。",
                "次回もパソコンの話から入る。本人から「また来てもいい」と言ってもらえた。",
            ),
            NoteText(
                "assess",
                M.HOME_VISIT,
                "本人、母、相談支援包括化推進員",
                "アセスメント。母の年金（月約{pension}万円）で二人暮らし。本人の国民年金は未納が続いている。"
                "母は要介護1でデイサービスを検討中。",
                "国民年金の免除申請を提案し本人同意。包括化推進員が、地域包括・基幹相談支援センターを交えた会議を調整する。",
                shared=True,
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人",
                "本人とNPO法人ひだまりの家（居場所）を見学。30分ほど滞在し、パソコン作業のボランティアに関心を示した。",
                "週1回の居場所利用を目標にする。帰りの車中で「思ったより普通の所だった」と話す。",
            ),
            NoteText(
                "support",
                M.PHONE,
                "地域包括支援センター職員",
                "地域包括から連絡。母のデイサービス利用が始まり、本人が朝の送り出しをしているとのこと。",
                "本人の役割ができたことを次回の訪問で一緒に確認する。",
                shared=True,
            ),
            NoteText(
                "late",
                M.HOME_VISIT,
                "本人、母",
                "評価。ひだまりの家へは月3回通えている。国民年金の免除も承認された。",
                "次の目標として就労準備支援事業の利用を本人と話し合う。",
            ),
        ),
    )
)

_story(
    Story(
        key="multiple_debt",
        concerns=(C.DEBT, C.TAX_UTILITIES, C.INCOME),
        route=IntakeRoute.PHONE,
        sex=None,
        ages=(38, 66),
        household="any",
        summary=(
            "消費者金融など{n}社から借入があり、返済が月{repay}万円を超えて生活が回らない。督促の電話が続き眠れない日がある。"
            "水道料金も滞納している。"
        ),
        choices={"n": ("4", "5", "3"), "repay": ("6", "8", "5"), "total": ("180", "240", "130"), "pay": ("2", "3")},
        tasks=(
            "法律相談センターおがちのの予約を取る",
            "家計表の記入を確認する",
            "水道料金の分納について{office}に確認する",
            "任意整理の和解の進み具合を本人と確認する",
        ),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "本人",
                "督促の電話が怖くて出られないと本人から相談。借入先は{n}社、総額は本人も正確に把握していない。",
                "借入の書類、通帳、給与明細を持って来所するよう案内した。",
                "来所面談",
            ),
            NoteText(
                "early",
                M.VISIT_CENTRE,
                "本人",
                "書類を一緒に整理。借入総額は約{total}万円。返済のために別の会社から借りる状態が続いていた。",
                "法律相談センターおがちのの無料相談を予約。債務整理の流れを説明した。",
                "法律相談に同行",
            ),
            NoteText(
                "early",
                M.ACCOMPANY,
                "本人、弁護士",
                "法律相談に同行。弁護士から任意整理の見通しが示され、受任通知を送れば督促が止まると説明を受けた。",
                "本人は安心した様子。家計の立て直しは家計改善支援で一緒に行うことにした。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人",
                "家計表を作成。食費、たばこ代、スマートフォンのゲーム課金の支出が大きい。",
                "家計改善支援事業の利用を提案し、本人同意。水道料金の滞納分は{office}の担当課と分納を相談する。",
            ),
            NoteText(
                "support",
                M.VISIT_CENTRE,
                "本人",
                "家計相談。先月は予算内で生活できた。ゲームの課金はやめられたとのこと。",
                "水道料金は月3千円の分納で合意できたことを確認。",
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人",
                "評価。任意整理の和解が成立し、返済は月{pay}万円になった。家計は3か月続けて黒字。",
                "目標達成として終結を提案し、本人も了承。",
            ),
            NoteText("follow", M.PHONE, "本人", "終結後の確認。返済は予定どおり。家計簿アプリを続けている。", ""),
        ),
    )
)

_story(
    Story(
        key="dv",
        concerns=(C.ABUSE, C.HOUSING, C.INCOME, C.CHILD_REARING),
        route=IntakeRoute.AGENCY_REFERRAL,
        sex="female",
        ages=(29, 38),
        household="single_parent_1",
        summary=(
            "元配偶者からの暴力を逃れ、小学生の子と県外から転入。住民基本台帳の支援措置を申請済み。"
            "パートを探しながら生活を立て直している。※所在秘匿（住所・連絡先はケースチーム外に出さない）"
        ),
        decider="officer",
        tasks=("就学援助の申請を案内する", "住居確保給付金の対象か確認する", "支援措置の更新手続きを一緒に確認する"),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人、福祉課 女性相談員",
                "福祉課の女性相談員から紹介され来所。県外で元配偶者から暴力を受け、子と{town}に避難してきた。"
                "所持金は少ない。",
                "住民基本台帳の支援措置の申請に同行することにした。本人の住所は担当以外に伝えないことを約束した。",
                "市民課へ同行",
            ),
            NoteText(
                "early",
                M.ACCOMPANY,
                "本人",
                "市民課へ同行し、住民基本台帳の支援措置を申請。子の転校手続きも同じ日に行った。",
                "学校には、元配偶者に住所を伝えないよう依頼した。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人",
                "アセスメント。当面の家賃に不安。以前は事務の仕事をしていた。子は新しい学校に慣れてきた。",
                "住居確保給付金の対象となるか確認。就学援助の申請を案内した。",
            ),
            NoteText(
                "support",
                M.PHONE,
                "本人",
                "共通の知人を通して、元配偶者が連絡先を尋ねてきたと本人から相談。",
                "知人には何も伝えないよう助言。警察の生活安全課に相談済みであることを確認した。",
            ),
            NoteText(
                "support",
                M.VISIT_CENTRE,
                "本人",
                "事務のパートが決まった。週4日勤務。子の放課後は学童保育を利用する。",
                "支援措置の更新時期が近いので、更新の手続きを一緒に確認することにした。",
                "支援措置の更新手続きを確認",
            ),
        ),
    )
)

_story(
    Story(
        key="dv_partner",
        concerns=(C.ABUSE, C.HOUSING, C.INCOME),
        route=IntakeRoute.PHONE,
        sex="female",
        ages=(22, 31),
        household="single",
        summary=(
            "同居していた交際相手から暴言と暴力を受け、友人宅に身を寄せている。仕事は続けたいが、職場を相手に知られている。"
            "所在秘匿を申請中。"
        ),
        tasks=("支援措置の確認を主任に依頼する", "女性相談員との面談日を調整する"),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "本人",
                "友人宅から電話。交際相手から暴力を受け、3日前に家を出た。「連れ戻されるのが怖い」と話す。",
                "女性相談員と連携し、安全の確保を最優先にすることを伝えた。所在秘匿（相談機関の判断）を申請した。",
                "来所面談（女性相談員同席）",
            ),
            NoteText(
                "early",
                M.VISIT_CENTRE,
                "本人、女性相談員",
                "来所。けがは治りかけている。職場には事情を話し、シフトを変えてもらえた。",
                "保護命令の制度と、住民基本台帳の支援措置について説明した。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人",
                "アセスメント。収入は月13万円ほど。新しい住まいの初期費用が用意できない。",
                "居住支援法人に、保証人なしで入れる物件を相談する。",
            ),
        ),
    )
)

_story(
    Story(
        key="single_parent",
        concerns=(C.CHILD_REARING, C.INCOME, C.WITHDRAWAL),
        route=IntakeRoute.AGENCY_REFERRAL,
        sex="female",
        ages=(33, 46),
        household="single_parent_2",
        summary=(
            "ひとり親世帯。パート収入と児童扶養手当で生活しているが、月末は食費が足りない。中学生の長子が3か月ほど前から"
            "学校を休みがちで、スクールソーシャルワーカーから相談を勧められた。"
        ),
        tasks=("就学援助の申請書を渡す", "学習教室の見学日を調整する", "長子の登校状況を学校に確認する"),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人",
                "雄勝野中学校のスクールソーシャルワーカーの紹介で来所。パート収入は月約12万円、児童扶養手当を受給中。"
                "長子が3か月ほど登校できていない。",
                "子どもの学習・生活支援事業と就学援助を説明した。",
                "家庭訪問",
            ),
            NoteText(
                "early",
                M.HOME_VISIT,
                "本人、長子",
                "家庭訪問。長子はゲームの話になると少し答えてくれた。母は朝から夕方まで働き、夜は内職をしている。",
                "学習教室（大学生ボランティア）の見学を提案。長子は「行ってもいい」。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人",
                "アセスメント。母の疲れがたまっている。就学援助は未申請。元配偶者からの養育費は途絶えている。",
                "就学援助の申請書を渡した。養育費については法律相談を案内する。",
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人、長子",
                "長子と学習教室を見学。大学生ボランティアと将棋をして笑顔が見られた。",
                "週1回の参加から始める。",
            ),
            NoteText(
                "support",
                M.PHONE,
                "本人",
                "長子が学習教室に毎週通っている。母の表情も明るくなった。",
                "学校と情報を共有し、別室登校を試すことになった。",
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人",
                "評価。長子は別室登校ができるようになった。就学援助も決定し、家計に少しゆとりが出た。",
                "終結に向けて本人と確認した。学習教室は続ける。",
            ),
            NoteText(
                "follow", M.PHONE, "本人", "終結後の確認。長子は別室登校を続けており、学習教室も休まず通っている。", ""
            ),
        ),
    )
)

_story(
    Story(
        key="elderly_food",
        concerns=(C.NO_FOOD, C.INCOME, C.HEALTH),
        route=IntakeRoute.SUPPORTER_REPORT,
        sex=None,
        ages=(76, 89),
        household="single",
        summary=(
            "{reporter}から「最近やせてきた。冷蔵庫に何もないようだ」と連絡。年金は月{pension}万円で、月末は食べるものに"
            "困っている。子は県外で疎遠。"
        ),
        choices={
            "reporter": ("担当地区の民生委員", "新聞販売店の配達員", "配食サービスの配達員"),
            "pension": ("5", "6", "4"),
        },
        team=("partner",),
        closure_reason=ClosureReason.GOALS_MET,
        tasks=(
            "民生委員に受け付けたことを伝える（詳細は伝えない）",
            "フードバンクおがちのに食料の追加を依頼する",
            "年金生活者支援給付金の申請状況を確認する",
        ),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "{reporter}",
                "{reporter}から連絡。一人暮らしの{age}歳。最近やせてきて、新聞もたまっている。",
                "連絡へのお礼を伝え、センターで対応することを伝えた（個別の内容は伝えない）。翌日、地域包括支援センターと訪問する。",
                "地域包括と訪問",
            ),
            NoteText(
                "early",
                M.HOME_VISIT,
                "本人、地域包括支援センター職員",
                "訪問。室内は片付いているが、冷蔵庫はほぼ空。年金支給日前で所持金は千円ほど。電気料金の督促状が届いていた。",
                "フードバンクおがちのから食料を届けてもらう手配をした（緊急支援）。",
                shared=True,
            ),
            NoteText(
                "early",
                M.HOME_VISIT,
                "本人",
                "フードバンクの食料を一緒に受け取った。本人「助かった。人に頼るのは申し訳ない」。",
                "遠慮しなくてよいこと、困ったらいつでも電話してよいことを伝えた。",
            ),
            NoteText(
                "assess",
                M.HOME_VISIT,
                "本人",
                "アセスメント。年金は月{pension}万円、預貯金なし。通院の医療費と光熱費が負担。",
                "配食サービスと、年金生活者支援給付金の申請状況を確認する。",
            ),
            NoteText(
                "support",
                M.HOME_VISIT,
                "本人、地域包括支援センター職員",
                "配食サービスが始まり、体重が戻ってきたと本人。民生委員も週1回声をかけてくれている。",
                "地域包括の見守りと合わせて月1回訪問を続ける。",
                shared=True,
            ),
            NoteText(
                "late",
                M.HOME_VISIT,
                "本人",
                "評価。食事は安定し、年金生活者支援給付金の支給も始まった。",
                "地域包括の見守りに引き継ぐ方向で終結を検討。",
                shared=True,
            ),
            NoteText(
                "follow", M.PHONE, "地域包括支援センター職員", "地域包括から、本人は元気に過ごしていると連絡。", ""
            ),
        ),
    )
)

_story(
    Story(
        key="illness_job_loss",
        concerns=(C.HEALTH, C.INCOME, C.JOB_SEARCH),
        route=IntakeRoute.AGENCY_REFERRAL,
        sex="male",
        ages=(47, 62),
        household="single_or_couple",
        summary=(
            "{illness}で入院し、退院後も{after}。勤めていた会社を退職し、傷病手当金の支給も終わった。"
            "体に合った仕事を探したい。"
        ),
        choices={
            "illness": ("脳梗塞", "心筋梗塞", "糖尿病の合併症"),
            "after": ("右手に軽いまひが残る", "長時間の立ち仕事ができない", "週1回の通院が必要"),
        },
        team=("employment",),
        decider="officer",
        closure_reason=ClosureReason.SELF_RELIANT,
        tasks=(
            "主治医の意見書の内容を確認する",
            "障害者手帳の申請について確認する",
            "ハローワークの専門援助部門に同行する",
            "勤務先での体調を確認する",
        ),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人、保健センター保健師",
                "保健センターの保健師の紹介で来所。{illness}の後、{after}。貯金を取り崩して生活している。",
                "主治医にどんな仕事ならできるか意見を聞いてくるよう依頼した。",
            ),
            NoteText(
                "early",
                M.PHONE,
                "本人",
                "主治医からは軽作業なら可能と言われた。障害者手帳の対象になるかもしれないと説明を受けたとのこと。",
                "基幹相談支援センターにも相談できることを伝えた。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人、就労支援員",
                "アセスメント。{town}内で長く営業職をしていた。人と話すのは好き。運転は控えるよう言われている。",
                "就労支援員と、座ってできる仕事を中心に探すことにした。",
                author="employment",
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人、ハローワーク雄勝野 専門援助部門",
                "ハローワークの専門援助部門へ同行。障害者雇用枠も含めて求人を検討。",
                "事務補助の求人に応募することになった。",
                shared=True,
                author="employment",
            ),
            NoteText(
                "support",
                M.PHONE,
                "本人",
                "事務補助の仕事に採用された。週20時間から始める。",
                "勤務開始後の体調を確認していく。",
                author="employment",
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人",
                "評価。勤務は続いており、体調も安定。勤務時間を週30時間に増やした。",
                "就労による自立として終結を提案し、本人了承。",
            ),
        ),
    )
)

_story(
    Story(
        key="young_neet",
        concerns=(C.JOB_SEARCH, C.WITHDRAWAL, C.FAMILY),
        route=IntakeRoute.PHONE,
        sex=None,
        ages=(20, 29),
        household="with_parents",
        summary=(
            "高校卒業後に就職した会社を半年で退職。以来{years}年、アルバイトも続かず自宅で過ごしている。"
            "母が心配して電話で相談。本人は「体を動かす仕事ならやってみたい」。"
        ),
        choices={"years": ("3", "5", "4")},
        team=("employment",),
        decider="officer",
        closure_reason=ClosureReason.SELF_RELIANT,
        tasks=(
            "就労準備支援事業の利用申込書を確認する",
            "おがちの農産の担当者と就労体験の様子を共有する",
            "面接の練習をする",
        ),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "母",
                "母から電話。本人は昼夜逆転ぎみで、家族ともあまり話さない。父は「甘えだ」と言っている。",
                "本人が来られるなら一緒に来所してほしいと伝えた。無理なら訪問もできる。",
                "来所面談",
            ),
            NoteText(
                "early",
                M.VISIT_CENTRE,
                "本人、母",
                "本人が母と来所。人と話すのは苦手だが、体を動かす仕事ならやってみたいと話した。",
                "就労準備支援事業と、おがちの農産での就労体験を紹介した。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人",
                "アセスメント。前の職場では電話応対で強く叱られたことがつらかった。朝起きるのが苦手。",
                "生活リズムを整えることを最初の目標にする。",
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人、就労支援員、おがちの農産 担当者",
                "おがちの農産での就労体験に同行。ネギの出荷作業を2時間。黙々と作業し、担当者からほめられた。",
                "週2回から始めることになった。",
                shared=True,
                author="employment",
            ),
            NoteText(
                "support",
                M.PHONE,
                "本人",
                "就労体験は週3回に増えた。遅刻なし。朝7時に起きられるようになった。",
                "認定就労訓練（中間的就労）への移行を検討する。",
                author="employment",
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人、就労支援員",
                "評価。おがちの農産でパートとして雇用されることが決まった。",
                "就労による自立として終結を提案。本人「続けられるか不安もあるけど頑張る」。",
                author="employment",
            ),
            NoteText(
                "follow",
                M.PHONE,
                "本人",
                "終結後の確認。勤務は続いている。今は選果場の仕事を任されているとのこと。",
                "",
                author="employment",
            ),
        ),
    )
)

_story(
    Story(
        key="housing_loss",
        concerns=(C.HOUSING, C.INCOME, C.NO_FOOD),
        route=IntakeRoute.WALK_IN,
        sex="male",
        ages=(55, 69),
        household="single",
        summary=(
            "住み込みで働いていた{workplace}が閉鎖し、今月末で寮を出なければならない。所持金はわずかで、保証人になって"
            "くれる親族もいない。"
        ),
        choices={"workplace": ("温泉旅館", "ドライブイン", "製材所")},
        decider="officer",
        tasks=(
            "フードバンクおがちのに緊急の食料を依頼する",
            "すまいるネット雄勝野に空き物件を問い合わせる",
            "年金事務所で加入記録を確認する",
            "転居後の公共料金の手続きを確認する",
        ),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人",
                "今月末で寮を退去しなければならない。所持金は5千円ほど。携帯電話は料金未納で止まっている。",
                "フードバンクおがちのから食料を提供（緊急支援）。居住支援法人に空き物件を問い合わせる。",
                "すまいるネットに連絡",
            ),
            NoteText(
                "early",
                M.ACCOMPANY,
                "本人、居住支援法人 すまいるネット雄勝野 職員",
                "居住支援法人の職員と物件を内見。家賃3万2千円、保証会社の審査は居住支援法人が支援してくれる。",
                "本人は入居を希望。初期費用は社協の生活福祉資金を検討する。",
                shared=True,
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人",
                "アセスメント。中学卒業後、住み込みの仕事を転々としてきた。年金の加入期間が足りるか不明。",
                "年金事務所で加入記録を確認する。",
            ),
            NoteText(
                "support",
                M.HOME_VISIT,
                "本人",
                "新居を訪問。布団と鍋はリサイクルで手に入れた。近所のスーパーで品出しのパートを始めた。",
                "生活が落ち着くまで月2回訪問する。",
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人",
                "評価。家賃は滞りなく払えている。年金も受給できる見込みとなった。",
                "住まいの確保と生活の安定として終結を提案。",
            ),
        ),
    )
)

_story(
    Story(
        key="tax_arrears",
        concerns=(C.TAX_UTILITIES, C.DEBT, C.INCOME),
        route=IntakeRoute.AGENCY_REFERRAL,
        sex="male",
        ages=(45, 66),
        household="couple_or_family",
        summary=(
            "市民税と国民健康保険税の滞納で、税務課の窓口から紹介。{trade}の売上が落ち込み、電気料金も滞納している。"
        ),
        choices={"trade": ("自営の大工", "個人経営の食堂", "農業（稲作）", "理容店")},
        tasks=("確定申告の書類をそろえる", "税務課との分納相談に同行する", "電気料金の支払い計画を作る"),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人、税務課 職員",
                "税務課の窓口から同行で来所。市民税と国民健康保険税を合わせて約40万円滞納。{trade}の売上が前年の半分ほど。",
                "家計改善支援で収支を整理してから、分納の計画を立てることを提案。",
            ),
            NoteText(
                "early",
                M.VISIT_CENTRE,
                "本人、配偶者",
                "夫婦で来所。帳簿は配偶者がつけていた。電気料金も2か月滞納。",
                "電力会社に支払い猶予を相談するよう助言。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人、配偶者",
                "アセスメント。事業収入は月15万円前後で、事業用の借入もある。",
                "家計改善支援事業の利用と、税務課との分納相談への同行を提案。",
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人、税務課 職員",
                "税務課との分納相談に同行。月2万円の分納で合意。",
                "分納計画を家計表に入れた。",
            ),
            NoteText("late", M.VISIT_CENTRE, "本人", "評価。分納は3か月続いている。", "家計の見直しを続ける。"),
        ),
    )
)

_story(
    Story(
        key="care_leave",
        concerns=(C.CARE, C.INCOME, C.JOB_SEARCH),
        route=IntakeRoute.AGENCY_REFERRAL,
        sex="female",
        ages=(50, 59),
        household="care",
        summary=(
            "母（{other_age}歳）の介護のため、介護職を退職。母の年金と貯金の取り崩しで生活しているが、貯金が底をつきそう。"
            "介護と両立できる仕事を探したい。"
        ),
        team=("partner", "employment", "coordinator"),
        closure_reason=ClosureReason.SELF_RELIANT,
        tasks=(
            "介護保険の負担限度額認定を確認する",
            "短時間勤務の求人を就労支援員と探す",
            "勤務と介護の両立の様子を確認する",
        ),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人、地域包括支援センター職員",
                "地域包括支援センターの紹介で来所。母は要介護3。本人は夜も眠れず疲れている。",
                "介護サービスの見直しと就労の両面から支援することを提案。",
                shared=True,
            ),
            NoteText(
                "early",
                M.PHONE,
                "地域包括支援センター職員",
                "地域包括から、母のデイサービスを週3回に増やせそうと連絡。",
                "本人に伝え、空いた時間で働けるか一緒に考える。",
                shared=True,
            ),
            NoteText(
                "assess",
                M.HOME_VISIT,
                "本人、母",
                "アセスメント。介護福祉士の資格あり。母のデイサービス中の4時間なら働ける。",
                "就労支援員と短時間勤務の求人を探す。",
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人、就労支援員",
                "介護施設の短時間勤務の面接に同行。介護の事情に理解のある職場だった。",
                "採用が決まり、来週から勤務。",
                author="employment",
            ),
            NoteText(
                "support",
                M.HOME_VISIT,
                "本人、母、地域包括支援センター職員",
                "勤務開始から1か月。母のショートステイも月1回使えるようになり、本人も休めている。",
                "地域包括と役割を確認した。",
                shared=True,
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人",
                "評価。仕事と介護を両立できている。収入は月10万円ほどになった。",
                "就労による自立として終結。",
            ),
        ),
    )
)

_story(
    Story(
        key="isolation",
        concerns=(C.COMMUNITY, C.HEALTH, C.FAMILY),
        route=IntakeRoute.SUPPORTER_REPORT,
        sex=None,
        ages=(66, 86),
        household="single",
        summary=(
            "{reporter}から「{sign}」と情報。近所づきあいがなく、自治会の当番をめぐって隣家ともめたことがある。"
            "足腰が弱り、冬は自宅前の除雪ができない。"
        ),
        choices={
            "reporter": ("郵便配達員", "ガスの検針員", "新聞販売店の配達員", "地区の民生委員"),
            "sign": ("郵便受けがあふれている", "しばらく姿を見かけない", "夜になっても電気がつかない日がある"),
        },
        team=("partner", "coordinator"),
        tasks=(
            "訪問して本人の様子を確認する",
            "除雪ボランティアの利用を社協に相談する",
            "地区のサロンの日程を伝える",
            "受診の状況を確認する",
        ),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "{reporter}",
                "{reporter}から「{sign}」と連絡。{age}歳の一人暮らし。",
                "連絡へのお礼を伝え、受け付けたことのみ伝えた。地域包括に情報を共有し、訪問する。",
                "訪問",
            ),
            NoteText(
                "early",
                M.HOME_VISIT,
                "本人",
                "訪問。玄関先で話せた。膝が痛くて外に出るのがおっくうとのこと。受診は1年ほどしていない。",
                "地域包括支援センターにつなぎ、一緒に訪問することにした。",
            ),
            NoteText(
                "assess",
                M.HOME_VISIT,
                "本人、地域包括支援センター職員",
                "アセスメント。隣家とは自治会の当番のことで口をきいていない。娘とは年賀状のやり取りのみ。",
                "除雪ボランティアと地区のサロンを紹介。本人「お茶っこ飲みなら行ってもいい」。",
                shared=True,
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人",
                "地区のサロンに同行。昔の同級生がいて話が弾んだ。",
                "次回は民生委員が声をかけてくれることになった。",
            ),
            NoteText(
                "late",
                M.HOME_VISIT,
                "本人、地域包括支援センター職員",
                "評価。サロンに月2回通っている。冬に備えて除雪ボランティアの登録も済んだ。",
                "地域の見守りに引き継ぐ方向で検討。",
                shared=True,
            ),
        ),
    )
)

_story(
    Story(
        key="foreign_resident",
        concerns=(C.JOB_SEARCH, C.INCOME, C.OTHER),
        route=IntakeRoute.WALK_IN,
        sex="female",
        ages=(32, 44),
        household="foreign_family",
        summary=(
            "フィリピン出身で、結婚して{town}に住んで12年。夫が病気で休職し収入が減った。日本語の会話はできるが、"
            "読み書きに不安があり求人票が読めない。"
        ),
        team=("employment",),
        decider="officer",
        closure_reason=ClosureReason.SELF_RELIANT,
        tasks=("夫の傷病手当金の申請状況を確認する", "ルビ付きの求人票を用意する", "日本語教室の日程を確認する"),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人",
                "来所。夫が腰の手術で休職し、傷病手当金だけでは生活が苦しい。働きたいが求人票の漢字が読めない。",
                "ゆっくり話し、ひらがなのメモを渡した。就労支援員と一緒に求人を探すことにした。",
            ),
            NoteText(
                "early",
                M.PHONE,
                "本人",
                "夫の傷病手当金の申請は会社が手続きしていると確認できた。",
                "来週、就労支援員と面談。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人、就労支援員",
                "アセスメント。母国で看護助手の経験あり。英語とタガログ語ができる。",
                "介護施設の補助の仕事を中心に探す。日本語教室も紹介した。",
                author="employment",
            ),
            NoteText(
                "support",
                M.ACCOMPANY,
                "本人、就労支援員",
                "介護施設の見学に同行。ルビ付きのマニュアルを用意してくれる職場だった。",
                "応募することになった。",
                author="employment",
            ),
        ),
    )
)

_story(
    Story(
        key="mental_health",
        concerns=(C.HEALTH, C.WORK_TROUBLE, C.INCOME),
        route=IntakeRoute.WALK_IN,
        sex=None,
        ages=(26, 44),
        household="single",
        summary="職場の人間関係から不眠が続き、休職中。退職すべきか迷っている。休職中の収入と今後の生活が不安。",
        tasks=("保健センターの心の相談の予約を取る", "傷病手当金の申請書類を確認する", "復職後の面談日を決める"),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人",
                "来所。上司からの叱責が続き、半年前から眠れない。心療内科に通院し休職中。",
                "話を丁寧に聞いた。傷病手当金の手続きを確認し、保健センターの心の相談を案内した。",
            ),
            NoteText(
                "early",
                M.PHONE,
                "本人",
                "保健センターの保健師と話せたと報告。少し眠れるようになった。",
                "次回、今後の働き方を一緒に考える。",
            ),
            NoteText(
                "assess",
                M.VISIT_CENTRE,
                "本人",
                "アセスメント。職場に戻るか迷っている。家賃は払えているが貯金が減ってきた。",
                "主治医の意見を聞いてから方針を決める。",
            ),
            NoteText(
                "support",
                M.VISIT_CENTRE,
                "本人",
                "主治医の許可が出て、配置転換のうえで短時間勤務から復職することになった。",
                "復職後も月1回面談を続ける。",
            ),
            NoteText(
                "late",
                M.VISIT_CENTRE,
                "本人",
                "評価。復職して2か月。睡眠は安定している。",
                "終結に向けて、困ったときの相談先を一緒に確認した。",
            ),
        ),
    )
)

# Stories that end at screening: information given, or a referral with follow-up.
_story(
    Story(
        key="info_loan",
        concerns=(C.INCOME,),
        route=IntakeRoute.PHONE,
        sex=None,
        ages=(30, 70),
        household="any",
        summary="急な出費（車の修理）で今月の生活費が足りない。貸付の制度を知りたい。",
        screening_reason="社協の緊急小口資金を案内",
        notes=(
            NoteText("intake", M.PHONE, "本人", "車の修理で10万円かかり、今月の生活費が足りないと電話。", ""),
            NoteText(
                "info",
                M.PHONE,
                "本人",
                "収入は安定しており、一時的な不足と確認。",
                "社会福祉協議会の生活福祉資金（緊急小口資金）の要件と窓口を案内した。他に困りごとがあれば連絡するよう伝えた。",
            ),
        ),
    )
)

_story(
    Story(
        key="info_heating",
        concerns=(C.TAX_UTILITIES, C.INCOME),
        route=IntakeRoute.PHONE,
        sex=None,
        ages=(68, 88),
        household="single_or_couple",
        summary="冬の暖房費（灯油代）の助成について知りたいという問い合わせ。",
        screening_reason="福祉灯油（冬期生活支援）の申請方法を案内",
        notes=(
            NoteText(
                "intake", M.PHONE, "本人", "灯油や電気代が上がり、冬の暖房費が心配。助成があるなら知りたいと電話。", ""
            ),
            NoteText(
                "info",
                M.PHONE,
                "本人",
                "年金収入で生活は成り立っている。",
                "{office}の福祉灯油（冬期生活支援）の対象になる見込み。申請方法と締切を案内した。",
            ),
        ),
    )
)

_story(
    Story(
        key="info_snow",
        concerns=(C.OTHER, C.COMMUNITY),
        route=IntakeRoute.PHONE,
        sex=None,
        ages=(70, 90),
        household="single_or_couple",
        summary="毎冬の屋根の雪下ろしがきつくなってきた。頼める人を知っておきたい。",
        screening_reason="社協の除雪ボランティアと高齢者世帯の雪下ろし助成を案内",
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "本人",
                "年々屋根に上がるのが怖くなった。次の冬は雪下ろしを頼める人を探しておきたいと電話。",
                "",
            ),
            NoteText(
                "info",
                M.PHONE,
                "本人",
                "生活費や健康の困りごとは特にないとのこと。",
                "社協の除雪ボランティアと、{office}の高齢者世帯向け雪下ろし助成を案内した。",
            ),
        ),
    )
)

_story(
    Story(
        key="info_pension",
        concerns=(C.INCOME, C.OTHER),
        route=IntakeRoute.WALK_IN,
        sex=None,
        ages=(60, 66),
        household="any",
        summary="年金の受給手続きがわからない。",
        screening_reason="年金事務所の出張相談を案内",
        notes=(
            NoteText(
                "intake", M.VISIT_CENTRE, "本人", "来年から年金を受け取れるはずだが、手続きがわからないと来所。", ""
            ),
            NoteText(
                "info",
                M.VISIT_CENTRE,
                "本人",
                "生活に差し迫った困りごとはない。",
                "年金事務所の出張相談日（毎月第2水曜、{office}）を案内し、予約方法を伝えた。",
            ),
        ),
    )
)

_story(
    Story(
        key="handoff_welfare",
        concerns=(C.INCOME, C.HEALTH, C.NO_FOOD),
        route=IntakeRoute.WALK_IN,
        sex=None,
        ages=(58, 78),
        household="single",
        summary="預貯金がなく、持病で働けない。生活保護の相談を希望。",
        handoff_to="welfare",
        screening_reason="生活保護の申請を希望。福祉課の面接相談に同行",
        tasks=("福祉課に申請の結果を確認する",),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人",
                "来所。持病の心臓病で働けなくなった。預貯金はなく、年金もない。今日食べる物もない。",
                "フードバンクの食料を提供（緊急支援）。生活保護の制度を説明した。",
            ),
            NoteText(
                "handoff",
                M.ACCOMPANY,
                "本人、福祉課 ケースワーカー",
                "福祉課の面接相談に同行し、生活保護を申請。",
                "結果が出るまでの生活費について福祉課と確認した。申請後も困りごとがあれば連絡するよう伝えた。",
                shared=True,
            ),
        ),
    )
)

_story(
    Story(
        key="handoff_care",
        concerns=(C.CARE, C.FAMILY),
        route=IntakeRoute.PHONE,
        sex="female",
        ages=(55, 70),
        household="care",
        summary="同居の母の物忘れがひどくなり、介護の相談をしたい。",
        handoff_to="community_care",
        screening_reason="介護保険の申請と認知症の相談のため地域包括支援センターへ",
        tasks=("地域包括に訪問の結果を確認する",),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "本人",
                "同居の母（{other_age}歳）がガスの消し忘れを繰り返す。仕事を休めず心配と電話。",
                "介護保険の申請と認知症の相談ができる地域包括支援センターを説明した。",
            ),
            NoteText(
                "handoff",
                M.PHONE,
                "地域包括支援センター職員",
                "本人の同意を得て地域包括支援センターに連絡し、訪問を依頼した。",
                "訪問の結果を2週間後に確認する。",
                shared=True,
            ),
        ),
    )
)

_story(
    Story(
        key="handoff_disability",
        concerns=(C.HEALTH, C.JOB_SEARCH),
        route=IntakeRoute.PHONE,
        sex=None,
        ages=(20, 35),
        household="with_parents",
        summary="療育手帳を持っている。障害福祉サービスの就労継続支援を利用したい。",
        handoff_to="disability",
        screening_reason="就労継続支援の利用相談のため基幹相談支援センターへ",
        tasks=("基幹相談支援センターに面談の結果を確認する",),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "本人の父",
                "父から電話。本人は療育手帳B。特別支援学校卒業後、自宅で過ごしている。作業所に通わせたい。",
                "障害福祉サービス（就労継続支援）の相談は基幹相談支援センターが適していると説明した。",
            ),
            NoteText(
                "handoff",
                M.PHONE,
                "基幹相談支援センター 相談支援専門員",
                "本人と父の同意を得て基幹相談支援センターに連絡。面談日が決まった。",
                "面談後の様子を確認する。",
                shared=True,
            ),
        ),
    )
)

_story(
    Story(
        key="handoff_hello_work",
        concerns=(C.JOB_SEARCH,),
        route=IntakeRoute.WALK_IN,
        sex="male",
        ages=(25, 45),
        household="any",
        summary="転職先を探している。生活費には困っていない。",
        handoff_to="hello_work",
        screening_reason="求職のみのためハローワーク雄勝野へ",
        tasks=("ハローワークでの求職登録を確認する",),
        notes=(
            NoteText(
                "intake",
                M.VISIT_CENTRE,
                "本人",
                "来所。今の職場の契約が3か月後に切れるため次の仕事を探したい。貯金もあり生活は問題ない。",
                "",
            ),
            NoteText(
                "handoff",
                M.VISIT_CENTRE,
                "本人",
                "生活の困りごとは特になく、求職のみの相談と確認した。",
                "ハローワーク雄勝野の職業相談を案内し、相談票を本人の同意のうえで送った。",
                author="employment",
            ),
        ),
    )
)

_story(
    Story(
        key="handoff_legal",
        concerns=(C.DEBT, C.FAMILY),
        route=IntakeRoute.PHONE,
        sex=None,
        ages=(40, 70),
        household="any",
        summary="亡くなった兄の借金の請求が届いた。相続のことがわからない。",
        handoff_to="legal",
        screening_reason="相続放棄の相談のため法律相談センターへ",
        tasks=("法律相談の結果を確認する",),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "本人",
                "2か月前に亡くなった兄あての借金の請求書が届いたと電話。相続放棄ができるか知りたい。",
                "相続放棄には期限があることを伝えた。",
            ),
            NoteText(
                "handoff",
                M.PHONE,
                "本人",
                "法律相談センターおがちのの無料相談を予約した。",
                "相談の結果を確認する。生活に困ることがあれば連絡するよう伝えた。",
            ),
        ),
    )
)

_story(
    Story(
        key="handoff_health",
        concerns=(C.HEALTH, C.FAMILY, C.WORK_TROUBLE),
        route=IntakeRoute.PHONE,
        sex="female",
        ages=(45, 65),
        household="couple",
        summary="夫の飲酒がひどく、仕事を休みがち。どこに相談すればよいか。",
        handoff_to="health",
        screening_reason="アルコール問題の相談のため保健センターへ",
        tasks=("保健センターに相談の結果を確認する",),
        notes=(
            NoteText(
                "intake",
                M.PHONE,
                "本人",
                "夫が毎晩飲酒し、朝起きられず仕事を休むことが増えたと電話。暴力はない。",
                "保健センターの精神保健の相談と家族教室を説明した。",
            ),
            NoteText(
                "handoff",
                M.PHONE,
                "保健センター 保健師",
                "本人の同意を得て保健センターの保健師に連絡。来週、本人が相談に行く。",
                "相談の結果を確認する。",
                shared=True,
            ),
        ),
    )
)

# Generic notes the loader adds at steps every story shares.
MEETING_NOTE = NoteText(
    "meeting",
    M.MEETING,
    "支援調整会議（福祉課、社協、ハローワーク雄勝野、地域包括支援センター）",
    "支援調整会議でプラン案を協議した。",
    "プラン案は了承された。役割分担を確認し、支援決定の手続きへ進む。",
    shared=True,
)
RETURN_NOTE = NoteText(
    "meeting",
    M.MEETING,
    "支援調整会議（福祉課、社協、ハローワーク雄勝野）",
    "支援調整会議でプラン案を協議した。",
    "家計の見直しを加えたうえで再提出するよう求められた。",
    shared=True,
)
SUSPEND_NOTES = {
    "contact_lost": NoteText(
        "suspend",
        M.PHONE,
        "本人",
        "電話を3回かけ、自宅も1回訪問したが連絡が取れない。手紙を置いてきた。",
        "中断とし、連絡があればすぐ再開できるようにしておく。",
    ),
    "refused": NoteText(
        "suspend",
        M.PHONE,
        "本人",
        "本人から「しばらくそっとしておいてほしい」と連絡。",
        "意思を尊重して中断とした。いつでも相談してよいことを伝えた。",
    ),
    "moved_away": NoteText(
        "suspend",
        M.PHONE,
        "本人",
        "県外の親族のもとへ転居することになったと本人から連絡。",
        "転居先の自立相談支援機関の連絡先を伝えた。",
    ),
}
CHECK_IN_NOTE = NoteText(
    "checkin",
    M.PHONE,
    "本人",
    "電話で近況を確認。大きな変化はなく、体調も落ち着いているとのこと。",
    "次回の面談日を確認した。",
)
RESUME_NOTE = NoteText(
    "resume",
    M.PHONE,
    "本人",
    "本人から久しぶりに電話。「また相談したい」。",
    "支援を再開。次回の訪問日を決めた。",
)
