// The starts of every run of IPv4 addresses ending on one record of an mmdb tree, from a full
// walk of the tree: the boundaries where a flat table built from it could be off by one.
import type { Ipv4Tree } from '../../collectors/enrich/ipv4-tree';

/** Unsigned starts, ascending (the first 0); neighbouring runs end on different records. */
export function rangeStarts(tree: Ipv4Tree): number[] {
  const starts: number[] = [];
  let last = -1;
  const walk = (node: number, prefix: number, depth: number): void => {
    if (node < tree.nodeCount && depth < 32) {
      walk(tree.record(node, 0), prefix, depth + 1);
      walk(tree.record(node, 1), (prefix | (1 << (31 - depth))) >>> 0, depth + 1);
      return;
    }
    if (node !== last) starts.push(prefix);
    last = node;
  };
  walk(tree.root, 0, 0);
  return starts;
}
