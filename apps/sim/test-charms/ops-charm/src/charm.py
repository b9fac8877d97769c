#!/usr/bin/env python3
"""charm-sim fixture: a charm written with the real ops library (2.x or 3.x), unmodified for the simulator.

Status message (what the end-to-end test reads) is
  `peers=<other units' unit-data> token=<peer app-bag token> got=<remote greeting> storage=<id>@<location>
   reached=<peers whose server answered>`
so each assertion proves a read of real relation data written by another unit or app, a storage-attached
hook whose storage ops resolved, and a TCP answer from each peer's pod by its `<app>-endpoints` name.
"""

import logging
import pathlib
import socket

import ops
from peer_servers import SERVER_LAYER, SERVER_SCRIPT, ask, ask_until

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


def pod(unit_name: str) -> str:
    """`<app>-<n>`: the unit's pod (and host) name."""
    return unit_name.replace("/", "-")


class OpsCharm(ops.CharmBase):
    """Peers, one provides and one requires endpoint, one action, two containers, one storage."""

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
        observe(self.on.server_pebble_ready, self._on_server_pebble_ready)
        observe(self.on.data_storage_attached, self._on_data_attached)
        observe(self.on.greet_action, self._on_greet)

    def _on_pebble_ready(self, event: ops.PebbleReadyEvent) -> None:
        container = event.workload
        container.add_layer("ops-charm", LAYER, combine=True)
        container.replan()
        container.push("/etc/ops-charm/hostname", socket.getfqdn(), make_dirs=True)
        self._reconcile(event)

    def _on_server_pebble_ready(self, event: ops.PebbleReadyEvent) -> None:
        container = event.workload
        container.push("/srv/ops-charm/echo_server.py", SERVER_SCRIPT, make_dirs=True)
        container.add_layer("ops-charm-server", SERVER_LAYER, combine=True)
        container.replan()
        self._reconcile(event)

    def _on_data_attached(self, event: ops.StorageAttachedEvent) -> None:
        # event.storage is what ops resolved: ops 2.x reads the id from `storage-get --help`.
        storage = event.storage
        owner = f"{self.unit.name} {storage.name}/{storage.index}@{storage.location}"
        (pathlib.Path(storage.location) / "owner").write_text(owner + "\n", encoding="utf-8")
        logger.info("storage %s/%s attached at %s", storage.name, storage.index, storage.location)
        self._reconcile(event)

    def _on_greet(self, event: ops.ActionEvent) -> None:
        name = event.params["name"]
        mark = "!" if event.params["excited"] else "."
        event.log(f"greeting {name}")
        print(f"stdout says hi to {name}")
        event.set_results({"message": f"{self.config['greeting']} {name}{mark}", "unit": self.unit.name})

    def _owner(self) -> str:
        """What the storage-attached hook wrote into this unit's storage, or '' before it ran."""
        for storage in self.model.storages["data"]:
            path = pathlib.Path(storage.location) / "owner"
            if path.exists():
                return path.read_text(encoding="utf-8").strip()
        return ""

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
        containers = [self.unit.get_container(c) for c in ("workload", "server")]
        if not all(c.can_connect() for c in containers):
            self.unit.status = ops.WaitingStatus("waiting for Pebble")
            return
        self.unit.set_workload_version(ops.__version__)
        owner = self._owner()
        if not owner:
            self.unit.status = ops.WaitingStatus("waiting for storage")
            return
        if not containers[1].get_services("echo"):
            self.unit.status = ops.WaitingStatus("waiting for the server's pebble-ready")
            return
        # Publish our server only once it answers by our own Service name with our storage's owner line.
        me = pod(self.unit.name)
        own = f"{me}.{self.app.name}-endpoints"
        expected = f"{me} {owner}"
        answer = ask_until(own, expected)
        if answer != expected:
            self.unit.status = ops.WaitingStatus(f"own server at {own} answered {answer!r}")
            return
        reached, wrong = [], []
        if peers is not None:
            peers.data[self.unit]["server"] = owner
            for u in sorted(peers.units, key=lambda u: u.name):
                published = peers.data[u].get("server")
                if not published:
                    continue  # its server is not up yet; its relation-changed brings us back
                host = f"{pod(u.name)}.{self.app.name}-endpoints"
                answer = ask(host)
                if answer == f"{pod(u.name)} {published}":
                    reached.append(u.name)
                else:
                    wrong.append(f"{host} answered {answer!r}")
        if wrong:
            self.unit.status = ops.WaitingStatus(f"peer servers: {'; '.join(wrong)}")
            return
        storage = owner.split(" ", 1)[1]
        self.unit.status = ops.ActiveStatus(
            f"peers={','.join(others)} token={token} got={','.join(got)} storage={storage} reached={','.join(reached)}"
        )


if __name__ == "__main__":
    ops.main(OpsCharm)
