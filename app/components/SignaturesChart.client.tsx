// Browser only (a `.client` module is empty on the server): chart.js draws on a <canvas>.
// Pages render a plain table of the same numbers first, so the figures are there without JavaScript.
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

export type ChartDay = { day: string; submitted: number; confirmed: number };

export function SignaturesChart({ days }: { days: ChartDay[] }) {
  return (
    <Bar
      aria-label="Signatures per day"
      role="img"
      data={{
        labels: days.map((d) => d.day.slice(5)),
        datasets: [
          { label: 'Confirmed', data: days.map((d) => d.confirmed), backgroundColor: '#b3261e' },
          { label: 'Submitted', data: days.map((d) => d.submitted), backgroundColor: '#d9d4ca' },
        ],
      }}
      options={{
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
      }}
    />
  );
}
