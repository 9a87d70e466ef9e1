/** Options more than one command declares, declared once. */
import { flag } from "@regdom/cli/program";

export const SKIP_UNSUPPORTED = flag(
  "--skip-unsupported",
  "zone files: skip records of types the registrar does not offer (each is listed) instead of refusing them",
);
