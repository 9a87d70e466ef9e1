export { bulk, exporter, sandbox, tempDir, TOKEN, EMAIL } from "../../bulk/e2e/env.js";
