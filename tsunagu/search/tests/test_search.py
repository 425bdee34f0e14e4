"""/search/: what it finds, what it never shows, and that the index follows the records.

Personas (tsunagu/conftest.py `world`): consultant holds both cases (山田太郎, and 秘匿花子
who is under whereabouts confidentiality); consultant2 is another worker of the centre;
chief is the centre's chief; partner is on 太郎's team at another agency; officer is
the municipality's; outsider is the chief of another village's centre."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import CaseTeamMember, NoteMethod, ProgressNote, TeamRole
from tsunagu.community.models import SupporterReport
from tsunagu.conftest import make_case, make_person
from tsunagu.consents.models import withdraw_consent
from tsunagu.meetings.models import AgendaItem, Attendee, MeetingKind
from tsunagu.meetings.models import Purpose as ItemPurpose
from tsunagu.search import index as search_index
from tsunagu.search.models import Kind, SearchDocument
from tsunagu.tests.pages import visible_text
from tsunagu.tests.records import make_meeting, protect, write_assessment

URL = "/search/"


def note(case: Any, by: Any, content: str, response: str = "", days_ago: int = 0) -> ProgressNote:
    return ProgressNote.objects.create(
        case=case,
        method=NoteMethod.PHONE,
        content=content,
        response=response,
        author=by,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def found(client: Any, user: Any, query: str) -> str:
    client.force_login(user)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200, visible_text(response)
    # Without spaces: a <mark> inside a word would otherwise split it.
    return visible_text(response, "results").replace(" ", "")


@pytest.fixture
def notes(world: SimpleNamespace) -> SimpleNamespace:
    w = world
    w.taro_note = note(w.case, w.consultant, "家賃を3か月滞納。大家の山本さんに連絡。", "ハローワークに同行する", 2)
    w.taro_old = note(w.case, w.consultant, "初回の電話。ガス代の督促状が届いた。", days_ago=40)
    w.hanako_note = note(w.hanako_case, w.consultant, "シェルター退所後の住まい。大家と面談。", "家賃の相談")
    return w


# What it finds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("納", "家賃を3か月滞納"),  # 1 character, kanji
        ("ガ", "ガス代の督促状"),  # 1 character, kana
        ("大家", "大家の山本さん"),  # 2 characters
        ("督促状", "ガス代の督促状"),  # 3
        ("ハローワーク", "ハローワークに同行"),  # 6, katakana, in 対応
        ("3か月滞納", "家賃を3か月滞納"),  # 5, mixed digits, kana and kanji
        ("はろーわーく", "ハローワークに同行"),  # hiragana finds katakana
        ("ﾊﾛｰﾜｰｸ", "ハローワークに同行"),  # half width
        ("３か月", "家賃を3か月滞納"),  # full-width digit
        ("家賃 山本", "大家の山本さん"),  # two words: both must be there
    ],
)
def test_finds_by_any_length_and_script(client: Any, notes: SimpleNamespace, query: str, expected: str) -> None:
    text = found(client, notes.chief, query)
    assert expected in text
    assert "山田太郎" in text


def test_results_grouped_by_case_newest_first_with_marks(client: Any, notes: SimpleNamespace) -> None:
    client.force_login(notes.chief)
    response = client.get(URL, {"q": "家賃"})
    html = response.content.decode()
    text = visible_text(response, "results").replace(" ", "")
    # 花子's note is the newest: her case comes first, each case once.
    assert text.index("秘匿花子") < text.index("山田太郎")
    assert text.count("山田太郎") == 1
    assert "<mark>家賃</mark>" in html
    assert f"#note-{notes.taro_note.code}" in html
    assert "「家賃」を含む記録：2件" in text


def test_no_false_hits(client: Any, notes: SimpleNamespace) -> None:
    # Every bigram of 介護保険 is in this note, but not the word.
    note(notes.case, notes.consultant, "介護の話。護保という字。保険証の更新。")
    note(notes.case, notes.consultant, "介護保険の申請を手伝う。")
    text = found(client, notes.chief, "介護保険")
    assert "介護保険の申請" in text
    assert "護保という字" not in text
    assert "1件" in text


def test_nothing_found_says_so(client: Any, notes: SimpleNamespace) -> None:
    text = found(client, notes.chief, "生活保護")
    assert "「生活保護」を含む記録は見つかりませんでした。" in text


def test_snippet_is_escaped(client: Any, notes: SimpleNamespace) -> None:
    note(notes.case, notes.consultant, '本人のメモ：<script>alert("x")</script><img src=x onerror=alert(1)> 大家')
    client.force_login(notes.chief)
    html = client.get(URL, {"q": "alert"}).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;<mark>alert</mark>" in html


def test_every_kind_of_record_is_found(client: Any, world: SimpleNamespace) -> None:
    w = world
    write_assessment(w.case, w.consultant, life_history="高校を中退し、父の工務店で働いた。")
    meeting = make_meeting(w, MeetingKind.CASE_REVIEW, title="ケース検討会", notes="全体として工務店の求人が少ない。")
    AgendaItem.objects.create(
        meeting=meeting, purpose=ItemPurpose.CASE_DISCUSSION, case=w.case, minutes="工務店への就労を検討。"
    )
    SupporterReport.objects.create(
        supporter=w.supporter_record,
        municipality=w.town,
        district=w.district,
        place="東小一丁目",
        other_text="工務店の裏の家で、郵便物がたまっている。",
    )
    text = found(client, w.chief, "工務店")
    for expected in ("父の工務店", "工務店の求人", "工務店への就労", "郵便物がたまって"):
        assert expected in text
    assert {d.kind for d in SearchDocument.objects.all()} >= {
        Kind.ASSESSMENT,
        Kind.MEETING,
        Kind.AGENDA_ITEM,
        Kind.REPORT,
    }


# Who may search, and what each reader sees ---------------------------------------------


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "officer", "district_chief", "supporter", "admin_user"])
def test_only_centre_staff_search(client: Any, notes: SimpleNamespace, who: str) -> None:
    user = getattr(notes, who)
    client.force_login(user)
    response = client.get(URL, {"q": "家賃"})
    assert response.status_code == 403
    assert "家賃" not in visible_text(response)
    assert AuditEvent.objects.filter(actor=user, action=Action.DENIED, object_code="search").exists()
    assert not AuditEvent.objects.filter(actor=user, action=Action.SEARCH).exists()
    assert 'action="/search/"' not in client.get("/my/").content.decode()


def test_search_box_in_the_navigation_for_centre_staff(client: Any, world: SimpleNamespace) -> None:
    client.force_login(world.consultant2)
    html = client.get("/my/").content.decode()
    assert 'action="/search/"' in html
    assert 'name="q"' in html


def test_another_municipality_sees_nothing(client: Any, notes: SimpleNamespace) -> None:
    text = found(client, notes.outsider, "家賃")
    assert "見つかりませんでした" in text
    assert "山田" not in text
    assert "秘匿" not in text


def test_whereabouts_confidential_only_for_her_team_and_the_chief(client: Any, notes: SimpleNamespace) -> None:
    assert "シェルター退所後" in found(client, notes.consultant, "シェルター")  # her worker
    assert "シェルター退所後" in found(client, notes.chief, "シェルター")
    text = found(client, notes.consultant2, "シェルター")
    assert "シェルター" not in text.replace("「シェルター」", "")
    assert "秘匿" not in text
    # Another centre worker still finds 太郎's note with the same word.
    assert "大家の山本さん" in found(client, notes.consultant2, "大家")
    assert "シェルター退所後" not in found(client, notes.consultant2, "大家")


def test_a_team_member_of_hers_finds_her_notes(client: Any, notes: SimpleNamespace) -> None:
    CaseTeamMember.objects.create(case=notes.hanako_case, staff=notes.consultant2, team_role=TeamRole.CO_WORKER)
    assert "シェルター退所後" in found(client, notes.consultant2, "シェルター")


def test_an_order_added_hides_at_once(client: Any, notes: SimpleNamespace) -> None:
    assert "大家の山本さん" in found(client, notes.consultant2, "山本")
    protect(notes.taro, notes.consultant, protects_against="元同居人")
    assert "大家の山本さん" not in found(client, notes.consultant2, "山本")
    assert "大家の山本さん" in found(client, notes.consultant, "山本")  # his worker


def test_an_order_lifted_shows_again(client: Any, notes: SimpleNamespace) -> None:
    notes.order.lifted_at = timezone.now()
    notes.order.save(update_fields=["lifted_at"])
    assert "シェルター退所後" in found(client, notes.consultant2, "シェルター")


def test_a_case_moved_to_another_worker(client: Any, notes: SimpleNamespace) -> None:
    notes.hanako_case.worker = notes.consultant2
    notes.hanako_case.save(update_fields=["worker"])
    assert "シェルター退所後" in found(client, notes.consultant2, "シェルター")
    assert "シェルター退所後" not in found(client, notes.consultant, "シェルター")
    assert SearchDocument.objects.filter(case=notes.hanako_case).count() == 1  # nothing to re-index


def test_a_case_of_another_centre_is_not_shown(client: Any, notes: SimpleNamespace) -> None:
    from tsunagu.accounts.models import Agency, AgencyKind

    second = Agency.objects.create(municipality=notes.town, name="第二センター", kind=AgencyKind.CONSULTATION_CENTRE)
    person = make_person(notes.town, "別所", "一", "ベッショ", "ハジメ")
    other = make_case(person, second, None)
    note(other, notes.chief, "別センターの家賃の記録")
    assert "別センターの家賃" not in found(client, notes.consultant, "家賃")
    assert "大家の山本さん" in found(client, notes.consultant, "家賃")


def test_a_withdrawn_consent_changes_nothing_for_the_centre_and_the_partner_still_cannot(
    client: Any, notes: SimpleNamespace
) -> None:
    withdraw_consent(notes.consent, notes.consultant, "本人の申し出")
    assert "大家の山本さん" in found(client, notes.consultant2, "山本")  # full access is not limited by consent
    client.force_login(notes.partner)
    assert client.get(URL, {"q": "山本"}).status_code == 403


def test_support_meeting_minutes_only_for_its_members(client: Any, notes: SimpleNamespace) -> None:
    w = notes
    person = make_person(w.town, "未把握", "三郎", "ミハアク", "サブロウ")
    meeting = make_meeting(w, MeetingKind.SUPPORT_MEETING, chair=w.consultant, title="支援会議", legal_basis="法第9条")
    Attendee.objects.create(meeting=meeting, staff=w.employment)
    AgendaItem.objects.create(
        meeting=meeting, purpose=ItemPurpose.CASE_DISCUSSION, person=person, minutes="新聞がたまっている世帯。"
    )
    for member in (w.consultant, w.employment):
        assert "新聞がたまっている世帯" in found(client, member, "新聞")
    for outsider in (w.consultant2, w.chief):
        text = found(client, outsider, "新聞")
        assert "新聞がたまって" not in text
        assert "未把握" not in text
    # A member added later finds it from the next request.
    Attendee.objects.create(meeting=meeting, staff=w.consultant2)
    assert "新聞がたまっている世帯" in found(client, w.consultant2, "新聞")


# The index follows the records -------------------------------------------------------


def test_an_edited_note_is_found_by_its_new_words_only(client: Any, notes: SimpleNamespace) -> None:
    notes.taro_note.content = "家賃は分割で払う約束。"
    notes.taro_note.save(update_fields=["content"])
    assert "分割で払う" in found(client, notes.chief, "分割")
    assert "大家の山本さん" not in found(client, notes.chief, "山本")


def test_a_deleted_note_is_gone(client: Any, notes: SimpleNamespace) -> None:
    notes.taro_old.delete()
    assert "督促状" not in found(client, notes.chief, "督促状").replace("「督促状」", "")
    assert not SearchDocument.objects.filter(kind=Kind.NOTE, object_id=notes.taro_old.pk).exists()


def test_a_sheet_is_found_as_its_latest_version(client: Any, world: SimpleNamespace) -> None:
    write_assessment(world.case, world.consultant, life_history="建設会社で20年働いた。")
    write_assessment(world.case, world.consultant, life_history="運送会社で20年働いた。")
    assert "運送会社" in found(client, world.chief, "会社")
    assert "建設会社" not in found(client, world.chief, "会社")
    assert SearchDocument.objects.filter(kind=Kind.ASSESSMENT, case=world.case).count() == 1


def test_deleting_the_latest_version_brings_back_the_one_before(client: Any, world: SimpleNamespace) -> None:
    write_assessment(world.case, world.consultant, life_history="建設会社で20年働いた。")
    latest = write_assessment(world.case, world.consultant, life_history="運送会社で20年働いた。")
    latest.delete()
    assert "建設会社" in found(client, world.chief, "会社")
    assert "運送会社" not in found(client, world.chief, "会社")


def test_rebuild_gives_the_same_index(client: Any, notes: SimpleNamespace) -> None:
    before = set(SearchDocument.objects.values_list("kind", "object_id", "text"))
    ProgressNote.objects.filter(pk=notes.taro_old.pk).update(content="一括で書き換えた督促の記録")  # no signal
    assert "一括で書き換えた" not in found(client, notes.chief, "一括")
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = set(SearchDocument.objects.values_list("kind", "object_id", "text"))
    assert len(after) == len(before)
    assert "一括で書き換えた" in found(client, notes.chief, "一括")
    assert "ガス代" not in found(client, notes.chief, "ガス代").replace("「ガス代」", "")


@pytest.mark.parametrize("recent", [1, 2, 3, 5000])
def test_the_newest_entries_then_the_gram_index_give_one_answer(
    client: Any, notes: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, recent: int
) -> None:
    """However many of the newest entries are read in date order first (search.query.
    RECENT), the rest found through the gram index completes the same answer, in order."""
    note(notes.case, notes.consultant, "介護の話。護保という字。", days_ago=100)  # all the bigrams, not the word
    note(notes.case, notes.consultant, "家賃と介護保険の相談", days_ago=200)
    monkeypatch.setattr("tsunagu.search.query.RECENT", recent)
    text = found(client, notes.chief, "家賃")
    assert text.index("シェルター退所後") < text.index("大家の山本さん") < text.index("介護保険の相談")
    assert "3件" in text
    assert "護保という字" not in found(client, notes.chief, "介護保険")
    assert "介護保険の相談" in found(client, notes.chief, "介護保険")


def test_grams_follow_the_rows(notes: SimpleNamespace) -> None:
    """The gram storage (a column, or the FTS5 table) has one entry per document."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM search_document WHERE cardinality(grams) > 0")
        else:
            cursor.execute("SELECT count(*) FROM search_gram")
        assert cursor.fetchone()[0] == SearchDocument.objects.count() == 3


# Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "探す言葉を入れてください。"),
        ("   ", "探す言葉を入れてください。"),
        ("・ー-", None),
        ("あ" * 51, "50文字以内"),
        ("家賃\u202e", "制御文字"),
        ("家\x1f賃", "制御文字"),
        ("a b c d e f", "5個まで"),
    ],
)
def test_bad_input_is_answered_in_japanese(
    client: Any, notes: SimpleNamespace, query: str, message: str | None
) -> None:
    client.force_login(notes.chief)
    response = client.get(URL, {"q": query})
    if message is None:  # ー alone is a word (the long vowel mark): searched, nothing found
        assert response.status_code == 200
        return
    assert response.status_code == 422
    text = visible_text(response)
    assert message in text
    assert not AuditEvent.objects.filter(action=Action.SEARCH).exists()


def test_the_page_without_a_query(client: Any, notes: SimpleNamespace) -> None:
    client.force_login(notes.consultant)
    response = client.get(URL)
    assert response.status_code == 200
    assert "記録の検索" in visible_text(response)
    assert "件" not in visible_text(response, "results")


# Audit and queries -------------------------------------------------------------------


def test_search_and_the_people_shown_are_audited(client: Any, notes: SimpleNamespace) -> None:
    found(client, notes.chief, "家賃")
    search = AuditEvent.objects.get(action=Action.SEARCH, actor=notes.chief)
    assert search.detail == "fulltext:2"
    assert "家賃" not in str(search.__dict__)
    views = AuditEvent.objects.filter(action=Action.VIEW, actor=notes.chief, object_type="search.results")
    assert {event.person_code for event in views} == {notes.taro.code, notes.hanako.code}


# Queries, whatever the number of cases shown: the session, the user and their agency
# (3); one batch of the newest entries (1); its access checks, cases and people (2); the groups'
# cases with their people (1); the audit, the search and the reads, each in a savepoint
# (2 × 4); the session saved (3); where the newest entries end (search.query.RECENT, 1).
SEARCH_QUERIES = 19


@pytest.mark.parametrize("cases", [1, 3])
def test_query_count_is_pinned(client: Any, world: SimpleNamespace, django_assert_num_queries: Any, cases: int) -> None:
    for n in range(cases):
        person = make_person(world.town, "件数", str(n), "ケンスウ", "イチ")
        case = make_case(person, world.centre, world.consultant)
        note(case, world.consultant, f"家賃の記録{n}")
        note(case, world.consultant, f"家賃の相談{n}")
    client.force_login(world.consultant)
    with django_assert_num_queries(pinned(SEARCH_QUERIES, 2)):
        response = client.get(URL, {"q": "家賃"})
    assert visible_text(response, "results").replace(" ", "").count("家賃の") == 2 * cases


def gram_index() -> str | None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_grams'")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_gram'")
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_bulk_load_sets_the_gram_index_aside_and_builds_it_again(client: Any, notes: SimpleNamespace) -> None:
    """generate_town writes its entries with the gram index set aside; the index comes
    back as it was even when the load fails, and finds what was written meanwhile."""
    before = gram_index()
    assert before is not None
    set_aside = []

    def failing_load() -> None:
        with search_index.gram_index_set_aside():
            set_aside.append(gram_index())
            note(notes.case, notes.consultant, "一括の途中で書いた電気代の記録")
            raise RuntimeError("the load fails")

    with pytest.raises(RuntimeError):
        failing_load()
    # Set aside on PostgreSQL; SQLite's FTS5 table keeps its own index throughout.
    assert set_aside == [None if connection.vendor == "postgresql" else before]
    assert gram_index() == before
    assert "一括の途中で書いた" in found(client, notes.chief, "電気代")
