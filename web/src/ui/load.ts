// Loading what a screen shows: each call's data or the problem to tell,
// several calls at once, and a hook that reloads on demand.
import { useEffect, useState } from "preact/hooks";
import { type Problem, networkProblem, problemOf } from "../api/client";

export type Loaded<T> = { data: T } | { problem: Problem };

/** The data of an API call, or the problem to show in French. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Loaded<T>> {
  try {
    const { data, error, response } = await request;
    return data !== undefined ? { data } : { problem: problemOf(error, response.status) };
  } catch {
    return { problem: networkProblem() };
  }
}

/** A call answered with no body (204): null once done, else the problem. */
export async function done(request: Promise<{ error?: unknown; response: Response }>): Promise<Problem | null> {
  try {
    const { error, response } = await request;
    return response.ok ? null : problemOf(error, response.status);
  } catch {
    return networkProblem();
  }
}

/** Several calls at once: all their data, or the first problem. */
export async function loadAll<T extends unknown[]>(
  ...calls: { [K in keyof T]: Promise<Loaded<T[K]>> }
): Promise<Loaded<T>> {
  const results = (await Promise.all(calls)) as Loaded<unknown>[];
  const failed = results.find((r): r is { problem: Problem } => "problem" in r);
  if (failed) return failed;
  return { data: results.map((r) => (r as { data: unknown }).data) as T };
}

export interface Loading<T> {
  data: T | null;
  problem: Problem | null;
  /** Loads again, keeping what is shown until the new data arrives. */
  reload: () => void;
  /** Whether the data shown answers the latest load (tests wait on it). */
  fresh: boolean;
}

/** Runs `load` when `deps` change or on reload; a late answer to older deps is dropped. */
export function useLoad<T>(load: () => Promise<Loaded<T>>, deps: unknown[]): Loading<T> {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [round, setRound] = useState(0);
  // Which deps and round the data shown answers: computed at render, so that
  // the screen never claims fresh data for deps it has not loaded yet.
  const [answered, setAnswered] = useState<string | null>(null);
  const key = `${JSON.stringify(deps)}#${round}`;
  const depsKey = JSON.stringify(deps);
  useEffect(() => {
    let live = true;
    setProblem(null);
    void load().then((result) => {
      if (!live) return;
      if ("data" in result) setData(result.data);
      else setProblem(result.problem);
      setAnswered(key);
    });
    return () => {
      live = false;
    };
  }, [key]);
  const fresh = answered === key;
  // Data kept from older deps is not shown while the new ones load.
  const shown = fresh || answered?.startsWith(`${depsKey}#`) ? data : null;
  return { data: shown, problem: fresh ? problem : null, fresh, reload: () => setRound((r) => r + 1) };
}
