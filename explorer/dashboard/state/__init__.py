"""The dashboard's state: frozen values changed only by pure transitions, and the frame model behind them."""
