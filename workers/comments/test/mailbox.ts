import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The mails Miniflare's local `send_email` binding sent, read where it writes each one: as
 * `<message id>.eml` under its instance's temporary directory (`miniflare-*\/email/email/`).
 * A service binding of the tests (`MAILBOX`) that runs in Node: `GET /?messageId=<id>`
 * answers the raw message, or 404 while the binding has not (wholly) written it yet.
 */
export async function mailbox(request: Request): Promise<Response> {
  const messageId = new URL(request.url).searchParams.get('messageId') ?? '';
  const file = `${messageId.replace(/^<|>$/g, '')}.eml`;
  if (!/^[\w.@+-]+\.eml$/.test(file)) return new Response('bad message id', { status: 400 });
  const instances = (await readdir(tmpdir())).filter((name) => name.startsWith('miniflare-'));
  for (const instance of instances) {
    const raw = await readFile(path.join(tmpdir(), instance, 'email', 'email', file), 'utf8').catch(
      () => undefined,
    );
    // The binding creates the file before it writes it: a message has its headers and body.
    if (raw !== undefined && /\r?\n\r?\n/.test(raw)) return new Response(raw);
  }
  return new Response('not sent (yet)', { status: 404 });
}
