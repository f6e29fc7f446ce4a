import { createHash } from 'node:crypto';
import type { WebhookChannel } from '../directory/directory';

/** A notice as a group robot receives it: the mail's subject and text, and the notice's Message-ID. */
export interface WebhookMessage {
  messageId: string;
  subject: string;
  text: string;
}

/** The webhook channel: posts one message to one group robot, throwing unless the robot took it. */
export interface WebhookNotifier {
  post(to: WebhookChannel, message: WebhookMessage): Promise<void>;
}

/** The id a retry carries again: the same notice reads the same on every attempt. */
const idLine = (m: WebhookMessage) => `消息编号 / message id: ${m.messageId}`;

/** The robots' own formats: 企业微信 markdown {content}, 钉钉 markdown {title, text}; text for both. */
export function webhookBody(to: WebhookChannel, m: WebhookMessage): Record<string, unknown> {
  const plain = `${m.subject}\n\n${m.text.trim()}\n\n${idLine(m)}`;
  if (to.format === 'text') return { msgtype: 'text', text: { content: plain } };
  const md = `### ${m.subject}\n\n${m.text.trim()}\n\n> ${idLine(m)}`;
  if (to.type === 'wecom') return { msgtype: 'markdown', markdown: { content: md } };
  return { msgtype: 'markdown', markdown: { title: m.subject, text: md } };
}

/** A short name for a robot in the outbox (its URL may hold the robot's key, so not the URL itself). */
export function webhookTarget(to: WebhookChannel): string {
  return `${to.type}:${createHash('sha256').update(to.url, 'utf8').digest('hex').slice(0, 16)}`;
}

export function createWebhookNotifier({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): WebhookNotifier {
  return {
    async post(to, message) {
      const res = await fetch(to.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(webhookBody(to, message)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.text();
      if (!res.ok) throw new Error(`${webhookTarget(to)} answered ${res.status}: ${body.slice(0, 200)}`);
      // Both robots answer 200 with {errcode: 0} when they took the message, another errcode when not.
      let errcode: unknown = 0;
      try {
        errcode = (JSON.parse(body) as { errcode?: unknown }).errcode ?? 0;
      } catch {
        // A receiver that answers 2xx without JSON took it.
      }
      if (errcode !== 0) throw new Error(`${webhookTarget(to)} refused the message: ${body.slice(0, 200)}`);
    },
  };
}
