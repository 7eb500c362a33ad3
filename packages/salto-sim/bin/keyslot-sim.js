#!/usr/bin/env node
// The `keyslot-sim` command. This file is committed (dist/ is not), so package managers can link
// the command at install time, before anything is built; it runs the compiled CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'keyslot-sim is not built yet. In the keyslot repository run "pnpm build" (or "pnpm start", which builds and serves).\n',
  );
  process.exit(1);
}
await import(cli.href);
