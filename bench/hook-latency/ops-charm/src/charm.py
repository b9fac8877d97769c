#!/usr/bin/env python3
"""The charm-sdk example charm (example-k8s) written with ops, for the hook-latency bench.

Every event does what the TypeScript example does: read config, leadership and the pod address,
check Pebble, keep the page file and the layer in place (restarting only changed services),
keep the port open and set the status.
"""

import logging

import ops

logger = logging.getLogger(__name__)
PAGE = "/srv/example/index.html"


class ExampleOpsCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        for event in (
            self.on.install,
            self.on.config_changed,
            self.on.start,
            self.on.leader_elected,
            self.on.upgrade_charm,
            self.on.update_status,
            self.on.example_peers_relation_created,
            self.on.workload_pebble_ready,
        ):
            framework.observe(event, self._reconcile)

    def _reconcile(self, _event: ops.EventBase) -> None:
        port = self.config.get("port")
        greeting = self.config.get("greeting")
        self.unit.is_leader()
        if not isinstance(port, int) or not 1024 <= port <= 65535:
            self.unit.status = ops.BlockedStatus(f'invalid config: option "port" ({port!r})')
            return
        binding = self.model.get_binding("example-peers")
        address = binding.network.ingress_address if binding else None
        if address is None:
            self.unit.status = ops.WaitingStatus("waiting for the pod address")
            return
        container = self.unit.get_container("workload")
        if not container.can_connect():
            self.unit.status = ops.WaitingStatus("waiting for Pebble in the workload container")
            return
        page = f"<!doctype html><h1>{greeting}</h1>\n"
        try:
            current = container.pull(PAGE).read()
        except (ops.pebble.PathError, ops.pebble.APIError):
            current = None
        if current != page:
            container.push(PAGE, page, make_dirs=True, permissions=0o644)
        layer = {
            "summary": "example-ops-k8s",
            "services": {
                "web": {
                    "override": "replace",
                    "summary": "greeting page",
                    "command": f"python3 -m http.server {port} --bind {address} --directory /srv/example",
                    "startup": "enabled",
                    "environment": {"GREETING": greeting},
                },
                "sidecar": {"override": "replace", "summary": "static helper", "command": "sleep 86400", "startup": "enabled"},
            },
        }
        plan = container.get_plan()
        services = container.get_services()
        wanted = ops.pebble.Layer(layer)
        changed = [n for n, s in wanted.services.items() if plan.services.get(n) is None or plan.services[n].to_dict() != s.to_dict()]
        if changed:
            container.add_layer("example", wanted, combine=True)
            running = [n for n in changed if n in services and services[n].is_running()]
            if running:
                container.restart(*running)
            container.replan()
            logger.info("workload layer reconciled: changed %s", changed)
        self.unit.set_ports(port)
        self.unit.status = ops.ActiveStatus(f"serving on {address}:{port}")


if __name__ == "__main__":
    ops.main(ExampleOpsCharm)
