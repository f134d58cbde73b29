import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { type Loaded, type Loading, useLoad } from "./load";

afterEach(() => {
  document.body.innerHTML = "";
});

/** A load whose answers the test gives, one per call. */
function controlled() {
  const pending: ((value: Loaded<string>) => void)[] = [];
  const load = () => new Promise<Loaded<string>>((resolve) => pending.push(resolve));
  return { load, answer: async (i: number, data: string) => act(async () => pending[i]({ data })) };
}

describe("loading a screen's data", () => {
  it("never shows data for other filters as fresh, and drops late answers", async () => {
    const { load, answer } = controlled();
    let seen: Loading<string> | null = null;
    function Probe({ filter }: { filter: string }) {
      seen = useLoad(load, [filter]);
      return null;
    }
    const host = document.createElement("div");
    act(() => render(<Probe filter="a" />, host));
    await answer(0, "A");
    expect(seen!.data).toBe("A");
    expect(seen!.fresh).toBe(true);
    act(() => render(<Probe filter="b" />, host));
    expect(seen!.fresh).toBe(false);
    expect(seen!.data).toBeNull();
    await answer(1, "B");
    expect(seen!.data).toBe("B");
    act(() => seen!.reload());
    expect(seen!.fresh).toBe(false);
    expect(seen!.data).toBe("B");
    act(() => render(<Probe filter="c" />, host));
    await answer(3, "C");
    await answer(2, "B again, too late");
    expect(seen!.data).toBe("C");
    expect(seen!.fresh).toBe(true);
  });
});
