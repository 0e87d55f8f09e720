declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    SITE_CONFIG: KVNamespace;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
