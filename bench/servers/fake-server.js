// Seam's own fake server (`@seamapi/fake-seam-connect`), seeded, with `DEVICES` extra August
// locks (one per load client), on 127.0.0.1 and an ephemeral port. Prints "LISTENING <port>"
// once it answers; stops on SIGTERM. (`fake.serverUrl` reports the requested port, 0, so the
// real one is read from the node server.)

import { createFake } from '@seamapi/fake-seam-connect';

const devices = Number(process.argv[2] ?? '0');
const fake = await createFake();
const seed = await fake.seed();
for (let i = 0; i < devices; i++) {
  fake.database.addDevice({
    device_id: `bench_device_${i}`,
    device_type: 'august_lock',
    name: `Bench lock ${i}`,
    workspace_id: seed.seed_workspace_1,
    connected_account_id: seed.john_connected_account_id,
  });
}
const server = await fake.startServer({ port: 0 });
const address = server.server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
process.on('SIGTERM', () => {
  fake.stopServer().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.stdout.write(`LISTENING ${port}\n`);
