from vanphong.search.backends.base import Query, exact_match, snippet
from vanphong.search.folding import fold, fold_map


def test_fold_removes_tone_marks_and_d_stroke():
    assert fold("Quyết định Đắk Lắk đường") == "quyet dinh dak lak duong"
    assert fold("  ỦY BAN   NHÂN DÂN\n tỉnh ") == "uy ban nhan dan tinh"
    assert fold("") == ""


def test_fold_map_points_back_to_the_original():
    folded, positions = fold_map("Đường Lê")
    assert folded == "duong le"
    assert positions[folded.index("le")] == 6


def test_text_typed_with_separate_marks_is_marked_whole():
    text = "Quye\u0302\u0301t đi\u0323nh về đường"  # combining marks (Unicode tổ hợp), as some keyboards type
    folded, positions = fold_map(text)
    assert folded == "quyet dinh ve duong"
    assert positions[folded.index("t ")] == 6  # the t of "Quyết", after its two marks
    assert snippet(text, Query(text="quyet dinh")) == "<mark>Quye\u0302\u0301t</mark> <mark>đi\u0323nh</mark> về đường"


def test_snippet_marks_the_original_words_and_escapes_the_rest():
    text = "<b>Quyết định</b> về đường giao thông"
    html = snippet(text, Query(text="duong"))
    assert "<mark>đường</mark>" in html
    assert "&lt;b&gt;Quyết định&lt;/b&gt;" in html


def test_exact_match_needs_every_word_with_its_accents():
    assert exact_match("Ông Nguyễn Văn Lâm", Query(text="Lâm"))
    assert not exact_match("Vui lắm", Query(text="Lâm"))
    assert not exact_match("Vui lắm", Query(text='"lam viec"'))


def test_query_splits_phrases_and_words():
    query = Query(text='"quyết định" ngân sách 2491/STC-BCTC')
    assert query.phrases == ["quyết định", "2491/STC-BCTC"]
    assert query.words == ["ngân", "sách"]
