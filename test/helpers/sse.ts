import http from 'node:http';

/** A live feed (`/events`) as a browser holds it: the raw stream, and the highest seq told per task. */
export interface Feed {
  text(): string;
  /** The highest seq a `task` event has told of, per workflow id. */
  seqs: Map<string, number>;
  /** Resolves once `pred` holds of the stream; rejects after `ms` with what did arrive. */
  until(what: string, pred: (feed: Feed) => boolean, ms?: number): Promise<void>;
  end(): void;
}

/** Opens `GET /events` on `base` with a bearer token; rejects unless the answer is 200. */
export function openEvents(base: string, token: string): Promise<Feed> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { hostname, port, path: '/events', headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`/events: ${res.statusCode}`));
        // Ending the feed resets the connection: that is the end, not a failure.
        res.on('error', () => undefined);
        let text = '';
        let pending = '';
        const waiting = new Set<() => void>();
        const feed: Feed = {
          text: () => text,
          seqs: new Map(),
          until: (what, pred, ms = 8000) =>
            new Promise((done, fail) => {
              const check = () => {
                if (!pred(feed)) return;
                waiting.delete(check);
                clearTimeout(timer);
                done();
              };
              const timer = setTimeout(() => {
                waiting.delete(check);
                fail(
                  new Error(
                    `the feed did not show ${what} within ${ms} ms; the stream: ${text.slice(-2000)}`,
                  ),
                );
              }, ms);
              waiting.add(check);
              check();
            }),
          end: () => {
            req.removeAllListeners('error');
            req.on('error', () => undefined);
            req.destroy();
          },
        };
        res.on('data', (c: Buffer) => {
          text += c.toString();
          pending += c.toString();
          const blocks = pending.split('\n\n');
          pending = blocks.pop() ?? '';
          for (const block of blocks) {
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event !== 'task' || !data) continue;
            for (const { id, seq } of JSON.parse(data) as { id: string; seq: number }[])
              feed.seqs.set(id, Math.max(seq, feed.seqs.get(id) ?? 0));
          }
          for (const w of [...waiting]) w();
        });
        resolve(feed);
      },
    );
    req.on('error', reject);
  });
}
