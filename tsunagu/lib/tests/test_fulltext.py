from tsunagu.lib.fulltext import (
    FIELD_BREAK,
    fold,
    grams_of_folded,
    join_fields,
    match_spans,
    matches,
    query_grams,
    query_terms,
    snippet,
)
from tsunagu.lib.kana import search_key


def test_text_folds_like_a_name_key() -> None:
    # The same fold as the name search: width, kana, case and 異体字.
    assert fold("ｶﾞｽ代 髙橋さん ＡＢＣ") == search_key("ｶﾞｽ代 髙橋さん ＡＢＣ") == "ガス代高橋サンabc"
    assert fold("かいご") == fold("カイゴ") == fold("ｶｲｺﾞ") == "カイゴ"


def test_fields_stay_apart() -> None:
    text = join_fields(["家賃", "", "  ", "滞納"])
    assert text == f"家賃{FIELD_BREAK}滞納"
    assert matches(text, ["家賃"])
    assert matches(text, ["滞納"])
    assert not matches(text, ["家賃滞納"])  # never across two fields
    assert query_grams("賃滞").isdisjoint(grams_of_folded(fold(text)))  # no gram spans the break


def test_grams_serve_one_and_more_characters() -> None:
    grams = grams_of_folded(fold("介護保険"))
    for query in ("介", "介護", "護保険", "介護保険"):
        assert query_grams(fold(query)) <= grams
    assert not query_grams(fold("保護")) <= grams
    # Unigrams and bigrams never collide, and a character outside the BMP still works.
    assert len(query_grams("介")) == 1
    assert query_grams("介").isdisjoint(query_grams("介護"))
    assert query_grams(fold("𠮷野")) <= grams_of_folded(fold("𠮷野家"))


def test_all_bigrams_is_not_a_match() -> None:
    # Holds 介護, 護保 and 保険 but not 介護保険: the check against the text removes it.
    text = "介護を、護保と保険"
    assert query_grams(fold("介護保険")) <= grams_of_folded(fold(text))
    assert not matches(text, [fold("介護保険")])


def test_query_terms_split_on_spaces_and_fold() -> None:
    assert query_terms("　たなか  ｶﾞｽ ") == ["タナカ", "ガス"]
    assert query_terms("・ ー- ") == ["ー"]
    assert query_terms(" ・ -＝ ") == []


def test_spans_point_at_the_original_text() -> None:
    text = "本人はｶﾞｽ代を滞納。がすの停止予告あり"
    assert [text[a:b] for a, b in match_spans(text, [fold("ガス")])] == ["ｶﾞｽ", "がす"]


def test_snippet_escapes_and_marks() -> None:
    text = "<script>alert(1)</script> 家賃の相談" + FIELD_BREAK + "大家 & 管理会社"
    html = str(snippet(text, [fold("家賃"), fold("大家")]))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>家賃</mark>" in html
    assert "<mark>大家</mark>" in html
    assert "&amp;" in html
    # A long text: the excerpt starts near the match.
    long = "あ" * 300 + "滞納" + "い" * 300
    short = str(snippet(long, [fold("滞納")]))
    assert short.startswith("…")
    assert short.endswith("…")
    assert "<mark>滞納</mark>" in short
    assert len(short) < 200
