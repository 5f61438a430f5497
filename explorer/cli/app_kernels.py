"""The app's kernel manager: a visitor who leaves gives its kernel (and the index it holds)
back, the preheated pool stays as configured.

Voila's page asks for its kernel's shutdown when it unloads; kernels whose page never said
goodbye (a crashed tab, a dropped connection, a closed laptop) are culled once nobody has been
connected to them for EXPLORER_APP_IDLE_SECONDS (default CULL_IDLE_S). Kernels waiting in
the preheated pool have no visitor yet, so they are never culled. Imported by the Voila server
process: jupyter_server only, nothing of the dashboard.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

CULL_IDLE_S = 30  # a kernel without a connection for this long is reclaimed...
CULL_INTERVAL_S = 10  # ...checked at most this long apart: gone within a minute by default


class AppKernelManager(AsyncMappingKernelManager):
    """Culls idle, unconnected kernels, except those in Voila's preheated pool."""

    def pooled_kernels(self) -> set[str]:
        """Ids of the kernels Voila keeps ready for the next visitor."""
        pooled = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    pooled.add(task.result().get("kernel_id"))
        return pooled

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self.pooled_kernels():
            return
        await super().cull_kernel_if_idle(kernel_id)


def culling_options(idle_seconds: int) -> list[str]:
    """Command-line options that make Voila use AppKernelManager and cull with it: a kernel
    nobody has been connected to for `idle_seconds` goes, checked every third of that (at
    most CULL_INTERVAL_S apart)."""
    interval = max(1, min(CULL_INTERVAL_S, idle_seconds // 3))
    return [f"--VoilaConfiguration.multi_kernel_manager_class={__name__}.AppKernelManager",
            f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
            f"--MappingKernelManager.cull_interval={interval}",
            "--MappingKernelManager.cull_connected=False"]
