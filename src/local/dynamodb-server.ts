import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoDbClient } from '../aws/clients.ts';
import { ensureIdempotencyTable } from '../create-once/idempotency-table.ts';
import { LOCAL_CREDENTIALS } from './runner.ts';

export interface LocalDynamoDbServerOptions {
  /** Idempotency tables that exist, active, once the server listens. */
  tables: readonly string[];
  /** @default 0, any free port */
  port?: number;
}

/** A DynamoDB-compatible server (dynalite) on 127.0.0.1, its data in memory. */
export interface LocalDynamoDbServer {
  /** Listens, then creates the tables. */
  listen(): Promise<{ url: string }>;
  /** Stops listening; the data is gone. */
  close(): Promise<void>;
}

/**
 * Builds the server without starting it. In memory on purpose: its records only hold concurrent executions
 * of one local stack apart, and the emulator's snapshots they point to live in memory too. A record that
 * outlived them would name a snapshot the next emulator never made; the snapshots' tags stay the lasting record.
 */
export function createLocalDynamoDbServer(options: LocalDynamoDbServerOptions): LocalDynamoDbServer {
  // Tables are ACTIVE at once, as a test or a local run needs them; AWS takes seconds.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let listening = false;
  return {
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      listening = true;
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = createLocalDynamoDbClient(url, 'us-east-1');
      try {
        for (const table of options.tables) await ensureIdempotencyTable(client, table);
      } catch (error) {
        await this.close();
        throw error;
      } finally {
        client.destroy();
      }
      return { url };
    },
    async close() {
      if (!listening) return;
      listening = false;
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A client of a local DynamoDB server, signed with placeholder keys whatever the user's profile holds. */
export function createLocalDynamoDbClient(endpoint: string, region: string): DynamoDBClient {
  // dynalite's only check of credentials is that a request is signed: any key pair will do.
  return createDynamoDbClient({ region, credentials: LOCAL_CREDENTIALS, endpoint });
}
