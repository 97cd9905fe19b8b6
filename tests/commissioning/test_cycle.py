from commissioning.cycle import cycle_svg


def test_the_current_stage_is_highlighted_and_named_in_the_description():
    svg = cycle_svg("plan")
    assert svg.count("<rect") == 4
    assert svg.count('fill="#1d70b8"') == 1
    assert "We are here" in svg
    assert "Now: Plan and appraise options." in svg
    assert '<title id="cycle-title">' in svg


def test_no_stage_highlighted_before_the_cycle_starts():
    svg = cycle_svg(None)
    assert 'fill="#1d70b8"' not in svg
    assert "We are here" not in svg
