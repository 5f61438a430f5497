"""`cost` (token cost on genai-prices, with the source of every price) and `user_prices` (the
user's own prices file).
"""
