import { JujuModelError, type Change, type Model } from '../model/api.js';

/** The part of the controller a snapshotting change needs. */
export interface ChangeTarget {
  readonly model: Model;
  apply(change: Change): void;
}

/**
 * Snapshots the charm at the revision `build` gives the app, then applies `build` run again on the model as it
 * is now: hooks run during the snapshot's await, and a change built before it would drop what they did.
 */
export async function applyAfterSnapshot<C extends Change>(
  controller: ChangeTarget,
  build: () => C,
  app: string,
  snapshot: (revision: number) => Promise<void>,
): Promise<C> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const revision = build().model.apps[app]?.charmRevision;
    if (revision !== undefined) await snapshot(revision);
    const change = build();
    // the same revision unless another deploy or refresh of this app landed during the snapshot
    if (change.model.apps[app]?.charmRevision === revision) {
      controller.apply(change);
      return change;
    }
  }
  throw new JujuModelError('busy', `cannot change ${app}: other deploys or refreshes of it keep landing; try again`, {
    app,
  });
}
