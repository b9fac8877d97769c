#!/usr/bin/env python3
"""charm-sim fixture: a minimal charm written with the real ops library, unmodified for the simulator.

Status message (what the end-to-end test reads) is
  `peers=<other units' unit-data, comma-separated> token=<peer app-bag token> got=<remote greeting>`
so each assertion proves a read of real relation data written by another unit or app.
"""

import logging
import socket

import ops

logger = logging.getLogger(__name__)

LAYER = {
    "summary": "ops-charm fixture layer",
    "services": {
        "idle": {
            "override": "replace",
            "summary": "a long-running service",
            "command": "/bin/sh -c 'exec sleep 1000000'",
            "startup": "enabled",
        }
    },
}


class OpsCharm(ops.CharmBase):
    """Peers, one provides and one requires endpoint, one action, one container."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        observe = framework.observe
        for event in (
            self.on.install,
            self.on.config_changed,
            self.on.start,
            self.on.leader_elected,
            self.on.leader_settings_changed,
            self.on.upgrade_charm,
            self.on.update_status,
            self.on.peers_relation_created,
            self.on.peers_relation_joined,
            self.on.peers_relation_changed,
            self.on.peers_relation_departed,
            self.on.source_relation_created,
            self.on.source_relation_joined,
            self.on.source_relation_changed,
            self.on.sink_relation_joined,
            self.on.sink_relation_changed,
            self.on.sink_relation_departed,
            self.on.sink_relation_broken,
        ):
            observe(event, self._reconcile)
        observe(self.on.workload_pebble_ready, self._on_pebble_ready)
        observe(self.on.greet_action, self._on_greet)

    def _on_pebble_ready(self, event: ops.PebbleReadyEvent) -> None:
        container = event.workload
        container.add_layer("ops-charm", LAYER, combine=True)
        container.replan()
        container.push("/etc/ops-charm/hostname", socket.getfqdn(), make_dirs=True)
        self._reconcile(event)

    def _on_greet(self, event: ops.ActionEvent) -> None:
        name = event.params["name"]
        mark = "!" if event.params["excited"] else "."
        event.log(f"greeting {name}")
        print(f"stdout says hi to {name}")
        event.set_results({"message": f"{self.config['greeting']} {name}{mark}", "unit": self.unit.name})

    def _reconcile(self, event: ops.EventBase) -> None:
        if isinstance(event, ops.InstallEvent):
            self.unit.status = ops.MaintenanceStatus("installing")
            return
        peers = self.model.get_relation("peers")
        token = ""
        others = []
        if peers is not None:
            peers.data[self.unit]["unit-data"] = f"{self.unit.name}@{socket.getfqdn()}"
            if self.unit.is_leader() and "token" not in peers.data[self.app]:
                peers.data[self.app]["token"] = f"t-{self.unit.name}"
            token = peers.data[self.app].get("token", "")
            others = sorted(peers.data[u].get("unit-data", "?").split("@")[0] for u in peers.units)
        for rel in self.model.relations["source"]:
            if self.unit.is_leader():
                rel.data[self.app]["greeting"] = str(self.config["greeting"])
            rel.data[self.unit]["provider-unit"] = self.unit.name
        got = []
        for rel in self.model.relations["sink"]:
            if rel.app is not None:
                got.append(rel.data[rel.app].get("greeting", ""))
            got.extend(sorted(rel.data[u].get("provider-unit", "") for u in rel.units))
        if self.unit.is_leader():
            self.app.status = ops.ActiveStatus(f"{self.model.app.planned_units()} planned")
        container = self.unit.get_container("workload")
        if not container.can_connect():
            self.unit.status = ops.WaitingStatus("waiting for Pebble")
            return
        self.unit.set_workload_version("1.0.0")
        self.unit.status = ops.ActiveStatus(f"peers={','.join(others)} token={token} got={','.join(got)}")


if __name__ == "__main__":
    ops.main(OpsCharm)
