"""The cache folder: the index caches, the history's versions and log, clones, app exports."""

from __future__ import annotations

from pathlib import Path

from explorer.ground.settings import Settings


def cache_dir(settings: Settings | None = None) -> Path:
    """The user cache folder explorer writes to (never a tree it reads).

    Args:
        settings: where `EXPLORER_CACHE_DIR` was read; None reads the environment now.

    Returns:
        `EXPLORER_CACHE_DIR` when set, else the platform's user cache folder.
    """
    settings = settings if settings is not None else Settings.from_environment()
    if settings.cache_dir is not None:
        return settings.cache_dir
    import platformdirs

    return Path(platformdirs.user_cache_dir("recordings-explorer"))
