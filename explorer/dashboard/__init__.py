"""The dashboard: `Dashboard(root_or_frame)`, an ipywidgets view over a plain state object, and
`CompareDashboard(base, head)`, two trees side by side filtered to what changed.

`state/` holds the frozen state values and their pure transitions, `views/` the panels that
draw a state, `widgets/` the small custom widgets (with their JavaScript and CSS as files).
"""

from explorer.dashboard.app import Dashboard
from explorer.dashboard.compare import CompareDashboard
from explorer.dashboard.state.browse import DashboardState

__all__ = ["CompareDashboard", "Dashboard", "DashboardState"]
