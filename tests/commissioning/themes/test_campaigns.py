from commissioning.themes.campaigns import group_near_duplicates

LETTER = (
    "I object to the closure of Moor Lane library because it is a lifeline for older "
    "residents and children in our neighbourhood. Please think again. {name}"
)


def test_the_same_letter_with_small_changes_is_one_campaign():
    texts = [LETTER.format(name=name) for name in ("Jo", "Sam Patel", "A. Khan", "Mo")]
    texts.insert(2, "The bins were not collected on our street this week")
    texts.append(LETTER.format(name="Liz").replace("Please think again.", "Think again!"))
    groups = group_near_duplicates(texts)
    assert groups == [[0, 1, 3, 4, 5]]


def test_identical_short_texts_group_but_different_short_texts_do_not():
    texts = ["Save our library!", "save our library", "Save our library.", "Save our parks"]
    assert group_near_duplicates(texts) == [[0, 1, 2]]


def test_two_copies_are_not_a_campaign():
    assert group_near_duplicates(["Fix the roads now", "Fix the roads now", "Bins"]) == []
