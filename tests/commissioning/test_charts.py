from xml.etree import ElementTree

from commissioning.charts import bar_chart, stacked_share_chart


def test_long_labels_are_cut_without_breaking_the_markup():
    label = "Libraries & archives: replace two part-time branches with a mobile library"
    chart = bar_chart("Savings", [(label, -120000), ("Parks", 50000)], unit="£")
    root = ElementTree.fromstring(chart.svg)  # well-formed XML
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(t.endswith("…") and len(t) <= 28 for t in texts)
    assert chart.table.rows[0][0] == label  # the table keeps it whole


def test_stacked_share_table_gives_counts_and_shares():
    chart = stacked_share_chart(
        "Views",
        [("A & B", {"support": 3, "oppose": 1})],
        [("support", "Support"), ("oppose", "Oppose")],
    )
    ElementTree.fromstring(chart.svg)
    assert chart.table.columns == ["", "Support", "Support (%)", "Oppose", "Oppose (%)"]
    assert chart.table.rows == [["A & B", 3, 75, 1, 25]]
