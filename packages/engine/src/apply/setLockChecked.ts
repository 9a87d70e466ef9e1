import { ApiError } from "@regdom/core";
import type { Registrar } from "../registrar.js";

/**
 * Sets the lock and reads it back once: a server that reads another parameter than the one sent
 * answers success and changes nothing, which only the read shows. Apply and rollback both use it.
 * @throws ApiError when the lock read back is not the one set
 */
export async function setLockChecked(client: Registrar, domain: string, locked: boolean): Promise<void> {
  await client.setLock(domain, locked);
  const now = await client.getLock(domain);
  if (now !== locked)
    throw new ApiError(
      `the registrar said success but the lock is still ${now === null ? "not offered (Unknown)" : now ? "on" : "off"}`,
      { action: "DomainUpdateLockingStatus", domain },
    );
}
