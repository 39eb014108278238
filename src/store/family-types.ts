/** The shape of a workflow family (select-task-family.ts builds it; `qtop task --json` prints it). */

/** `child`: parent_id/children (a chain link or a task sent from a task); `group`: a group member; `chord`: a chord body under its header group. */
export type FamilyEdgeKind = 'child' | 'group' | 'chord';

export interface FamilyNode {
  id: string;
  /** `task` for a task id; `group` for a group id (members hang from it). */
  kind: 'task' | 'group';
  /** False for a task id qtop was told of but holds nothing about. Groups: true when a member is held. */
  seen: boolean;
  /**
   * A chain link a waiting or reserved message still carries (its `embed.chain`): it has an id and
   * a name but no message yet, and is sent only when the link before it succeeds. Never `seen`.
   */
  notSent: boolean;
  name: string | null;
  state: string | null;
  worker: string | null;
  queue: string | null;
  runtime: number | null;
  /** Epoch seconds: started (or received, or sent, whichever is known first) and finished. */
  startedAt: number | null;
  finishedAt: number | null;
  retries: number;
  /** The tree parent (null for a root) and the kind of that edge. */
  parent: string | null;
}

export interface FamilyEdge {
  from: string;
  to: string;
  kind: FamilyEdgeKind;
}

export interface TaskFamily {
  taskId: string;
  /** The workflow's root: the task with no parent at the top of the tree. */
  rootId: string;
  /** Nodes in tree order (depth first, children by start time). */
  nodes: FamilyNode[];
  /** Tree edges: one per node with a parent. */
  edges: FamilyEdge[];
  /** Ids of members whose `parent_id` is their own id: they retried themselves (retry history). */
  selfRetried: string[];
  /** Wall time from the first known start to the last finish (seconds); null while nothing finished. */
  wallSec: number | null;
  /** True when a member's start is unknown (only its finish is), so the wall time may be longer. */
  wallIsLowerBound: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  /** Every member held is in a final state and none is unseen. */
  finished: boolean;
  /** The chain of tasks that ended last: from the root to the member that finished last. */
  criticalPath: { ids: string[]; sec: number | null; secIsLowerBound: boolean };
  /** True when the family had more than `maxFamily` members and was cut. */
  capped: boolean;
}
