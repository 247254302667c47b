import type { FigureDocument } from './figures.js';

/**
 * One chart or table of the dashboards and the report, described once: which figure documents it
 * reads, how it groups them and which figures it shows. The saved-objects bundle turns a view into
 * an aggregation-based visualisation; the search adapter runs the same aggregation; the embedded
 * adapter answers the same question in SQL. Every figure is shown as the max over its bucket: each
 * bucket holds one cell's document, so a suppressed figure (absent) reads as no number, never as 0.
 */
export type Question = 'overview' | 'where' | 'isolation' | 'reproduction' | 'immunity';

export type GroupField = 'weekStart' | 'region' | 'degree';

type NumericFields<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];
export type FigureField = NumericFields<Extract<FigureDocument, { kind: 'region-week' }>> | NumericFields<Extract<FigureDocument, { kind: 'degree-week' }>>;

export interface FigureView {
  id: string;
  title: string;
  description: string;
  question: Question;
  chart: 'line' | 'bar' | 'table';
  kind: FigureDocument['kind'];
  /** The all-regions documents, or one row per region. */
  regions: 'all' | 'each';
  /** Degree documents of this degree only. */
  degree?: number | undefined;
  /** Bucket fields, outermost first: weekStart is a weekly date histogram, the others terms. */
  groupBy: readonly GroupField[];
  metrics: readonly { field: FigureField; label: string }[];
}

/** One bucket of a view's answer: its keys and the figure values (null: none, or suppressed). */
export interface ViewRow {
  weekStart?: number;
  region?: string;
  degree?: number;
  values: Record<string, number | null>;
}
