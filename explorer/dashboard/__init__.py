"""`app` and `compare` assemble the two dashboards, `launch` builds the one a page asks for (with
`page_request`, a visitor's request, and `export_place`, where a served app may write); `state/`
holds frozen values and pure transitions (`pager` and `playback` composed by both), `views/` the
panels, `widgets/` the custom widgets with their JavaScript and CSS in `widgets/static/`.

`Dashboard(root_or_frame)` is an ipywidgets view over a plain state object, and
`CompareDashboard(base, head)` two trees side by side filtered to what changed.
"""

from explorer.dashboard.app import Dashboard
from explorer.dashboard.compare import CompareDashboard
from explorer.dashboard.state.browse import DashboardState

__all__ = ["CompareDashboard", "Dashboard", "DashboardState"]
