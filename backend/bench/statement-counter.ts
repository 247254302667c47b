/** Counts what a connection runs, by kind: the queries, and the transaction control around them. */
export class StatementCounter {
  private counting = false;
  readonly counts = { select: 0, insert: 0, update: 0, delete: 0, other: 0 };

  readonly onStatement = (sql: string): void => {
    if (!this.counting) return;
    const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
    if (verb === 'select' || verb === 'insert' || verb === 'update' || verb === 'delete') this.counts[verb]++;
    else if (verb === 'with') this.counts.select++;
    else this.counts.other++;
  };

  start(): void {
    this.counting = true;
  }

  stop(): void {
    this.counting = false;
  }

  get queries(): number {
    return this.counts.select + this.counts.insert + this.counts.update + this.counts.delete;
  }
}
