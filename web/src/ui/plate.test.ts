import { describe, expect, it } from "vitest";
import { plateLabel } from "./plate";

describe("plates as people write them", () => {
  it("writes each system its own way", () => {
    expect(plateLabel({ normalized: "AB123CD", country: "FRA", kind: { system: "siv", provisional: false } })).toBe("AB-123-CD");
    expect(plateLabel({ normalized: "123ABC75", country: "FRA", kind: { system: "fni", department: "75" } })).toBe("123 ABC 75");
    expect(plateLabel({ normalized: "1234AB2A", country: "FRA", kind: { system: "fni", department: "2A" } })).toBe("1234 AB 2A");
    expect(plateLabel({ normalized: "W123AB", country: "FRA", kind: { system: "w_garage" } })).toBe("W-123-AB");
    expect(plateLabel({ normalized: "1234W75", country: "FRA", kind: { system: "w_garage" } })).toBe("1234 W 75");
    expect(plateLabel({ normalized: "B123ABC", country: "BEL", kind: { system: "foreign", country: "BEL" } })).toBe("B123ABC");
  });
});
