"""The review on the pull request: `github` (a REST client on the standard library: pages,
rate limits, errors), `pr_comment` (the one marked comment, created or edited in place),
`actions` (warnings and the job summary)."""
