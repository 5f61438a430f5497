"""Small custom widgets shared by the views: the plotly panel, the stepper, the error area."""
