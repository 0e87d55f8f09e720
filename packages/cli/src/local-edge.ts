/** The local edge `npm run dev` serves, on the port it uses (PORT, 8787 by default). */
export function localEdgeUrl(env: Record<string, string | undefined> = process.env): string {
  return `http://127.0.0.1:${env.PORT ?? '8787'}`;
}
