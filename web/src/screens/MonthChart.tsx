// Notices per month over 12 months, stacked by where they stand today. An
// SVG for the eye, and the same figures in a table for screen readers.
import type { Schemas } from "../api/client";
import { monthLabel } from "../format";

type Month = Schemas["MonthFigures"];

const OUTCOMES = [
  ["acknowledged", "Acquittés"],
  ["answered", "Répondus, en cours"],
  ["open", "À traiter"],
  ["in_error", "Refusés"],
  ["gone_to_paper", "Partis en papier"],
] as const;

const HEIGHT = 160;
const BAR = 28;
const GAP = 14;

export function MonthChart({ months }: { months: Month[] }) {
  const totals = months.map((m) => OUTCOMES.reduce((sum, [key]) => sum + m[key], 0));
  const highest = Math.max(1, ...totals);
  const width = months.length * (BAR + GAP);
  return (
    <figure class="card chart">
      <figcaption>
        <h2>Avis reçus par mois</h2>
      </figcaption>
      <svg viewBox={`0 -16 ${width} ${HEIGHT + 52}`} role="img" aria-labelledby="chart-summary">
        <title id="chart-summary">
          {`${totals.reduce((a, b) => a + b, 0)} avis reçus sur 12 mois, par mois et par issue (détail dans le tableau ci-dessous)`}
        </title>
        {months.map((m, i) => (
          <g key={m.month} transform={`translate(${i * (BAR + GAP) + GAP / 2},0)`}>
            {stack(m, highest).map(({ key, y, height }) => (
              <rect key={key} class={`outcome-${key}`} x={0} y={y} width={BAR} height={height} />
            ))}
            <text x={BAR / 2} y={HEIGHT + 14} text-anchor="middle">{monthLabel(m.month, "month")}</text>
            {(i === 0 || m.month.endsWith("-01")) && (
              <text x={BAR / 2} y={HEIGHT + 28} text-anchor="middle">{m.month.slice(0, 4)}</text>
            )}
            {totals[i] > 0 && (
              <text x={BAR / 2} y={HEIGHT - (totals[i] / highest) * HEIGHT - 4} text-anchor="middle">{totals[i]}</text>
            )}
          </g>
        ))}
      </svg>
      <ul class="legend">
        {OUTCOMES.map(([key, label]) => (
          <li key={key}><span class={`swatch outcome-${key}`} aria-hidden="true" />{label}</li>
        ))}
      </ul>
      <details>
        <summary>Voir les chiffres du graphique</summary>
        <table class="notices">
          <thead>
            <tr>
              <th scope="col">Mois</th>
              {OUTCOMES.map(([key, label]) => <th key={key} scope="col">{label}</th>)}
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{monthLabel(m.month, "long")}</th>
                {OUTCOMES.map(([key]) => <td key={key}>{m[key]}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The month's bar segments, bottom up, scaled to the highest month. */
function stack(month: Month, highest: number) {
  let top = HEIGHT;
  return OUTCOMES.filter(([key]) => month[key] > 0).map(([key]) => {
    const height = (month[key] / highest) * HEIGHT;
    top -= height;
    return { key, y: top, height };
  });
}
