/**
 * Gathers the calls made in the same turn of the event loop and hands them to `flush` in groups:
 * concurrent requests served by one process then share one round trip (SQS SendMessageBatch,
 * DynamoDB BatchWriteItem). A lone call (one request per Lambda invocation) is a group of one.
 * `flush` settles each item on its own: one item's failure does not fail its neighbours.
 */
export class SameTickBatcher<T, R> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly flush: (items: readonly T[]) => Promise<readonly (R | Error)[]>,
    /** Starts a new group when adding the item would make `fits` false. */
    private readonly fits: (group: readonly T[]) => boolean,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flushPending());
    });
  }

  private async flushPending(): Promise<void> {
    const calls = this.pending;
    this.pending = [];
    const groups: (typeof calls)[] = [];
    for (const call of calls) {
      const last = groups[groups.length - 1];
      if (last && this.fits([...last.map((c) => c.item), call.item])) last.push(call);
      else groups.push([call]);
    }
    await Promise.all(
      groups.map(async (group) => {
        try {
          const results = await this.flush(group.map((c) => c.item));
          group.forEach((call, i) => {
            const result = results[i];
            if (result instanceof Error) call.reject(result);
            else call.resolve(result as R);
          });
        } catch (error) {
          for (const call of group) call.reject(error);
        }
      }),
    );
  }
}
