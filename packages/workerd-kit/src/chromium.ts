/**
 * How the tests launch the machine's Chromium (Debian's, at `/usr/bin/chromium`) through
 * playwright-core: headless, without a sandbox (tests may run as root), and with nothing
 * that reaches the network by itself.
 * @example
 * const browser = await chromium.launch(chromiumLaunch());
 * const mapped = await chromium.launch(chromiumLaunch('--host-resolver-rules=MAP blog.test 127.0.0.1'));
 */
export function chromiumLaunch(...extraArgs: string[]): { executablePath: string; args: string[] } {
  return {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  };
}
