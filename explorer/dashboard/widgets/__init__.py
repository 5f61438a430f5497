"""Small custom widgets shared by the views: the recordings table, the plotly panel, the
stepper, the typing box, the error area. Their JavaScript and CSS, and the dashboards' one
stylesheet (`explorer.css`), are files under `static/` (see `assets`)."""
