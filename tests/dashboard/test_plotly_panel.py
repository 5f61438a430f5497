"""plotly.js reaches the page once, when a chart asks for it, not with the page's first state."""

from explorer.dashboard.widgets.plotly_panel import PLOTLY_JS, PlotlyLibrary, PlotlyPanel


def test_the_first_state_carries_no_plotly_js():
    assert PlotlyLibrary().get_state()["source"] == b""
    panel = PlotlyPanel()
    assert panel.get_state()["library"] == f"IPY_MODEL_{panel.library.model_id}"


def test_every_panel_shares_one_library():
    assert PlotlyPanel().library is PlotlyPanel().library


def test_a_page_that_asks_gets_plotly_js():
    library = PlotlyLibrary()
    library._asked(library, {"type": "something else"}, [])
    assert library.source == b""
    library._asked(library, {"type": "send"}, [])
    assert library.source == PLOTLY_JS.read_bytes()
    assert b"plotly.js" in library.source[:100] and len(library.source) > 1_000_000
