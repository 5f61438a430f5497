"""The panels: each draws part of a state and reports what the user did as a transition."""
