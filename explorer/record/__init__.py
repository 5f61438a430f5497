"""One recording: read and classify it (`recording`, `classify`) and fold its chunks into states (`replay`)."""
