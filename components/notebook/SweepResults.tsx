/** Results table of a sweep: per grid point, runs finished, mean throughput and syntax-valid rate. */
import styles from './Notebook.module.css';

export interface SweepResultRow {
  label: string;
  runs: number;
  validRuns: number;
  /** Runs the point will have when the sweep finishes. */
  plannedRuns: number;
  tokensPerSecond: number;
  forwardPassesPerToken: number;
  onFront: boolean;
}

function format(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function SweepResults({ rows }: { rows: SweepResultRow[] }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid='sweep-results'>
        <thead>
          <tr>
            <th scope='col'>grid point</th>
            <th scope='col'>runs</th>
            <th scope='col'>tokens/s (mean)</th>
            <th scope='col'>passes/token</th>
            <th scope='col' title='Prompt plus completion parses as Python (tree-sitter)'>
              syntax-valid
            </th>
            <th scope='col' title='No other point has both higher tokens/s and a higher syntax-valid rate'>
              Pareto
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} data-testid='sweep-row'>
              <td>{row.label}</td>
              <td>
                {row.runs} / {row.plannedRuns}
              </td>
              <td>{format(row.tokensPerSecond, 1)}</td>
              <td>{format(row.forwardPassesPerToken, 2)}</td>
              <td>{row.runs === 0 ? '—' : `${row.validRuns} / ${row.runs} (${Math.round((100 * row.validRuns) / row.runs)}%)`}</td>
              <td>{row.runs > 0 && row.onFront ? '●' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
