import { e2eKit } from "@regdom/sandbox/testing";

export const { sandbox, tempDir, bulk, exporter } = e2eKit(import.meta.url);
