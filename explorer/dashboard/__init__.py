"""`app` and `compare` assemble the two dashboards over their data, `frame_model` (the table's
masks, counts and sort orders, cached) and `compare_rows` (one row per change); `launch` builds
the dashboard a page asks for (with `page_request`, a visitor's request, and `export_place`,
where a served app may write, and `history_source`, where the History tab's frame comes
from); `state/` holds only frozen values and pure transitions
(`Selection`, the open recording; `pager` and `playback` composed by both), `views/` the panels,
`widgets/` the custom widgets with their JavaScript and CSS in `widgets/static/`.

`Dashboard(root_or_frame)` is an ipywidgets view over a plain state object, and
`CompareDashboard(base, head)` two trees side by side filtered to what changed.
"""

from explorer.dashboard.app import Dashboard
from explorer.dashboard.compare import CompareDashboard
from explorer.dashboard.state.browse import DashboardState

__all__ = ["CompareDashboard", "Dashboard", "DashboardState"]
