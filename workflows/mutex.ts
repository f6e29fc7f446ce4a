/**
 * Runs async sections one at a time. Update handlers and the clock both change the task and record
 * the change with an activity; without this, two handlers could interleave around that await and
 * write the ledger out of order.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
