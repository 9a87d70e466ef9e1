import { describe, expect, it } from "vitest";
import { addYears } from "./dates.js";

describe("addYears", () => {
  it("keeps the month and day", () => {
    expect(addYears("2024-03-15", 1)).toBe("2025-03-15");
    expect(addYears("2024-12-31", 10)).toBe("2034-12-31");
    expect(addYears("2025-01-01", 0)).toBe("2025-01-01");
  });

  it("turns 29 February into 28 February in a common year, as registries do", () => {
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(addYears("2024-02-29", 3)).toBe("2027-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
  });
});
