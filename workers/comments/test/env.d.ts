declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** `triggers.crons` of wrangler.jsonc. */
    TEST_CRONS: string[];
    /** What the local send_email binding sent (test/mailbox.ts). */
    MAILBOX: Fetcher;
  }
}
