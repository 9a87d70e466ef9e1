/**
 * Waits for every promise, then throws the first rejection (in the order given). Unlike
 * Promise.all, no sibling request outlives a failure: a domain is reported only once all of its
 * reads have ended, so none is still retrying when the run closes its connections.
 */
export async function settleAll(values: readonly unknown[]): Promise<void> {
  const results = await Promise.allSettled(values);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
