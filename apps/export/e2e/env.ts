import { E2E_EMAIL, E2E_TOKEN, e2eKit } from "@regdom/sandbox/testing";

export const TOKEN = E2E_TOKEN;
export const EMAIL = E2E_EMAIL;
export const { sandbox, tempDir, bulk, exporter } = e2eKit(import.meta.url);
