"""The dashboard's state: frozen values (`DashboardState`, `CompareState`, `Selection`, `Pager`,
`Playback`) and the pure transitions that change them; no cache, no file, no widget."""
