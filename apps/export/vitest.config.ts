export { e2eConfig as default } from "../../vitest.shared.js";
