"""Token cost on a maintained price database (`cost`), overridden by the user's own prices (`user_prices`)."""
