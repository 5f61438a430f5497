"""The dashboard: `Dashboard(root_or_frame)`, an ipywidgets view over a plain state object."""

from explorer.dashboard.app import Dashboard
from explorer.dashboard.state import DashboardState

__all__ = ["Dashboard", "DashboardState"]
