// The caller's recent export jobs, each running one followed until it ends.
import { useEffect, useState } from "preact/hooks";
import { type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { useApp } from "../../context";
import { running, stillListed } from "./exportText";

type Job = Schemas["ExportJob"];

/** How often a running job is asked where it stands. */
const POLL_MS = 1000;

export interface Exports {
  jobs: Job[] | null;
  /** The job asked for on this page, shown first with its progress. */
  latest: Job | null;
  problem: Problem | null;
  add: (job: Job) => void;
  /** The job read again: its link is fresh (a link works one hour). */
  refresh: (id: string) => Promise<Job | null>;
}

/** `focus`: the job shown first (the one the address names). */
export function useExports(focus?: string): Exports {
  const { api } = useApp();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [latestId, setLatestId] = useState<string | null>(focus ?? null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    api.GET("/exports").then(
      ({ data, error, response }) => (data ? setJobs(data.exports) : setProblem(problemOf(error, response.status))),
      () => setProblem(networkProblem()),
    );
  }, []);

  const replace = (job: Job) => setJobs((shown) => (shown ?? []).map((j) => (j.export_id === job.export_id ? job : j)));

  async function refresh(id: string): Promise<Job | null> {
    try {
      const { data } = await api.GET("/exports/{exportId}", { params: { path: { exportId: id } } });
      if (data) replace(data);
      return data ?? null;
    } catch {
      return null;
    }
  }

  // While a job is queued or running, ask again after a pause.
  // A round that failed still leads to the next one (the tick).
  const [tick, setTick] = useState(0);
  const active = (jobs ?? []).filter(running).map((j) => j.export_id);
  useEffect(() => {
    if (active.length === 0) return;
    const timer = setTimeout(async () => {
      await Promise.all(active.map(refresh));
      setTick((t) => t + 1);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [jobs, tick]);

  function add(job: Job) {
    setJobs((shown) => [job, ...(shown ?? [])]);
    setLatestId(job.export_id);
  }

  const now = Date.now();
  return {
    jobs: jobs && jobs.filter((j) => stillListed(j, now)),
    latest: jobs?.find((j) => j.export_id === latestId) ?? null,
    problem,
    add,
    refresh,
  };
}
