/**
 * The evals page's place. Evals (suites, cases × variants × trials, scores) are being built under
 * /v1/evals; this view will list them, show a report and link each trial to its run and to Compare.
 */
export function EvalsView() {
  return (
    <div class="view">
      <header class="view-head">
        <h1>Evals</h1>
      </header>
      <p class="muted">
        Evals are coming: suites of cases run against prompt and model variants, scored, with each trial a run
        you can open and compare. Until then, try prompts in a runtime's playground and compare runs side by
        side.
      </p>
    </div>
  );
}
