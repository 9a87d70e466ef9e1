import { type ClientOptions, RegistrarClient } from "@regdom/core";
import { type Sandbox, type SandboxOptions, startSandbox } from "@regdom/sandbox";

const TEST_TOKEN = "tok-Zq8xSECRET-7731";
export const TEST_EMAIL = "ops@example.se";

export async function sandboxAndClient(
  sandboxOpts: SandboxOptions = {},
  clientOpts: Partial<ClientOptions> = {},
): Promise<{ sandbox: Sandbox; client: RegistrarClient; close: () => Promise<void> }> {
  const sandbox = await startSandbox({ token: TEST_TOKEN, authEmail: TEST_EMAIL, ...sandboxOpts });
  const client = new RegistrarClient({
    endpoint: sandbox.url,
    token: TEST_TOKEN,
    authEmail: TEST_EMAIL,
    rate: 1000,
    concurrency: 8,
    minBackoffMs: 5,
    ...clientOpts,
  });
  return {
    sandbox,
    client,
    close: async () => {
      await client.close();
      await sandbox.close();
    },
  };
}
