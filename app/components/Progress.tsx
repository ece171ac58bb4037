export function Progress({ count, goal, percent }: { count: number; goal: number; percent: number }) {
  return (
    <div className="progress">
      <p className="progress-count">
        <strong data-testid="signature-count">{count.toLocaleString('en')}</strong> signatures of{' '}
        {goal.toLocaleString('en')}
      </p>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Progress toward the goal">
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
