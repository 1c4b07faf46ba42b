export interface BenchResult {
  name: string;
  /** Usually a ratio of ours to a baseline measured in the same run. */
  value: number;
  unit: string;
  /** Human text such as "<= 2.0"; `met` says whether this run met it. */
  target?: string;
  met?: boolean;
  detail?: string;
}
