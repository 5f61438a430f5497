"""The app's kernel manager culls a visitor's idle, unconnected kernel but never one waiting
in Voila's preheated pool, and `explorer open --app` turns it on."""

from __future__ import annotations

import asyncio

import pytest

from explorer.cli.app_kernels import CULL_IDLE_S, CULL_INTERVAL_S, AppKernelManager
from explorer.cli.errors import InputError
from explorer.cli.open import voila_options


def test_pooled_kernels_are_never_culled(monkeypatch):
    culled = []

    async def parent_cull(self, kernel_id):
        culled.append(kernel_id)

    monkeypatch.setattr("jupyter_server.services.kernels.kernelmanager."
                        "AsyncMappingKernelManager.cull_kernel_if_idle", parent_cull)

    async def run() -> None:
        manager = AppKernelManager()
        ready = asyncio.get_running_loop().create_future()
        ready.set_result({"kernel_id": "pooled"})
        starting = asyncio.get_running_loop().create_future()  # not started yet
        manager._pools = {"explore.ipynb": [ready, starting]}
        assert manager.pooled_kernels() == {"pooled"}
        await manager.cull_kernel_if_idle("pooled")
        await manager.cull_kernel_if_idle("visitor")
        starting.cancel()

    asyncio.run(run())
    assert culled == ["visitor"]


def test_the_app_culls_within_a_minute(monkeypatch):
    monkeypatch.delenv("EXPLORER_APP_POOL", raising=False)
    monkeypatch.delenv("EXPLORER_APP_IDLE_SECONDS", raising=False)
    options = voila_options()
    assert ("--VoilaConfiguration.multi_kernel_manager_class="
            "explorer.cli.app_kernels.AppKernelManager") in options
    assert f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_S}" in options
    assert CULL_IDLE_S + CULL_INTERVAL_S <= 60
    assert "--pool_size=1" in options


def test_the_idle_time_is_a_setting(monkeypatch):
    monkeypatch.setenv("EXPLORER_APP_IDLE_SECONDS", "10")
    options = voila_options()
    assert "--MappingKernelManager.cull_idle_timeout=10" in options
    assert "--MappingKernelManager.cull_interval=3" in options
    monkeypatch.setenv("EXPLORER_APP_IDLE_SECONDS", "3600")
    assert "--MappingKernelManager.cull_interval=10" in voila_options()
    for wrong in ("0", "-5", "ten", "1.5", "٣", "²", " 30", "9" * 5000):
        monkeypatch.setenv("EXPLORER_APP_IDLE_SECONDS", wrong)
        with pytest.raises(InputError, match="EXPLORER_APP_IDLE_SECONDS"):
            voila_options()


def test_the_pool_size_is_a_setting(monkeypatch):
    monkeypatch.delenv("EXPLORER_APP_IDLE_SECONDS", raising=False)
    for given, passed in (("2", "2"), ("٣", "3")):
        monkeypatch.setenv("EXPLORER_APP_POOL", given)
        assert f"--pool_size={passed}" in voila_options()
    for wrong in ("0", "-1", "two", "1.5", "²", " 2", "9" * 5000):
        monkeypatch.setenv("EXPLORER_APP_POOL", wrong)
        with pytest.raises(InputError, match="EXPLORER_APP_POOL"):
            voila_options()
