/** Table of per-run metrics for a compare cell; a run that has not finished shows dashes. */
import styles from './Notebook.module.css';

export interface MetricsRow {
  label: string;
  color: string;
  status: string;
  tokensPerSecond: number | null;
  forwardPassesPerToken: number | null;
  steps: number | null;
  kendallTau: number | null;
  completionTokens: number | null;
}

function format(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export function MetricsTable({ rows }: { rows: MetricsRow[] }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid='metrics-table'>
        <thead>
          <tr>
            <th scope='col'>run</th>
            <th scope='col'>tokens/s</th>
            <th scope='col' title='Forward passes, prefill and cache passes included, per decoded token'>
              passes/token
            </th>
            <th scope='col'>steps</th>
            <th scope='col' title='Kendall tau between position and the step it settled at: 1 is strictly left to right'>
              Kendall τ
            </th>
            <th scope='col' title='Tokens before the first end-of-sequence token'>
              completion tokens
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} data-testid='metrics-row' data-status={row.status}>
              <td>
                <span className={styles.swatch} style={{ background: row.color }} aria-hidden />
                {row.label}
              </td>
              <td>{format(row.tokensPerSecond, 1)}</td>
              <td>{format(row.forwardPassesPerToken, 2)}</td>
              <td>{format(row.steps, 0)}</td>
              <td>{format(row.kendallTau, 3)}</td>
              <td>{format(row.completionTokens, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
