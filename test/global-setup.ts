import { obtainServers } from '../servers/temporal';

/** Obtains Temporal's servers once (cached) and hands their paths to every test file. */
export default function globalSetup(): void {
  const { cli, testServer } = obtainServers();
  process.env.TEMPORAL_CLI = cli;
  process.env.TEMPORAL_TEST_SERVER = testServer;
}
