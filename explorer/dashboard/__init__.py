"""The dashboard: `Dashboard(root_or_frame)`, an ipywidgets view over a plain state object, and
`CompareDashboard(base, head)`, two trees side by side filtered to what changed."""

from explorer.dashboard.app import Dashboard
from explorer.dashboard.compare import CompareDashboard
from explorer.dashboard.state import DashboardState

__all__ = ["CompareDashboard", "Dashboard", "DashboardState"]
