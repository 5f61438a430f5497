"""Putting a review where people read it: one comment on the pull request."""
