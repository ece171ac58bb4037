import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { EditableTimeline } from '../components/EditableTimeline.tsx';
import { formValues } from '../components/PersonForm.tsx';
import { FormError, TextArea, TextField } from '../components/forms.tsx';
import { roleAtLeast } from '../models/membership.server.ts';
import {
  addTimelineEvent,
  logAddresseeResponse,
  outcomesForOrganisers,
  removeResponse,
  removeTimelineEvent,
  setDemandStatus,
} from '../models/outcome.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent, intentOf } from '../utils/intent.server.ts';
import { DEMAND_STATUSES, DEMAND_STATUS_LABELS, OUTCOME_LIMITS } from '../validation/outcome.ts';
import { dayValue } from '../validation/person.ts';
import { formatDay } from '../utils/dates.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { role, campaign } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const outcomes = await outcomesForOrganisers(campaign.id);
  const done = new URL(request.url).searchParams.get('done');
  return { campaign, canEdit: roleAtLeast(role, 'EDITOR'), ...outcomes, flash: done ? (FLASH[done] ?? null) : null };
}

const FLASH: Record<string, string> = {
  demand: 'The demand’s status was saved.',
  response: 'The response was logged.',
  'response-removed': 'The response was removed.',
  event: 'The event was added to the timeline.',
  'event-removed': 'The event was removed.',
};

type ActionResult = { intent: string; target?: string; errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { campaign } = await requireCampaignRole(request, params.id ?? '', 'EDITOR');
  const form = await request.formData();
  const intent = intentOf(form);
  const target = String(form.get('targetId') ?? '');
  const values = formValues(form, ['status', 'note', 'date', 'summary', 'url', 'title', 'description', 'addresseeId']);
  const back = (done: string) => redirect(`/dashboard/c/${campaign.id}/timeline?done=${done}`, 303);
  const fail = (errors: ActionResult['errors'], status: number) => data<ActionResult>({ intent, target, errors, values }, { status });
  return dispatchIntent(
    form,
    {
      'demand-status': async () => {
        await setDemandStatus(campaign.id, target, { status: values.status, note: values.note, date: values.date });
        return back('demand');
      },
      'add-response': async () => {
        await logAddresseeResponse(campaign.id, values.addresseeId ?? '', { date: values.date, summary: values.summary, url: values.url });
        return back('response');
      },
      'remove-response': async () => {
        await removeResponse(campaign.id, target);
        return back('response-removed');
      },
      'add-event': async () => {
        await addTimelineEvent(campaign.id, { date: values.date, title: values.title, description: values.description });
        return back('event');
      },
      'remove-event': async () => {
        await removeTimelineEvent(campaign.id, target);
        return back('event-removed');
      },
    },
    fail,
  );
}

export default function CampaignTimeline() {
  const { canEdit, demands, addressees, timeline, flash, replyTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const mine = (intent: string, target?: string) => result?.intent === intent && (target === undefined || result.target === target);
  const errorsFor = (intent: string, target?: string) => (mine(intent, target) ? result!.errors : {});
  const valuesFor = (intent: string, target?: string) => (mine(intent, target) ? result!.values : undefined);
  return (
    <>
      {flash ? (
        <p className="flash" role="status">
          {flash}
        </p>
      ) : null}
      {/* Forms with fields show their own errors; removals and unknown actions report here. */}
      {result && !['demand-status', 'add-response', 'add-event'].includes(result.intent) ? <FormError errors={result.errors} /> : null}

      <h2>Demands</h2>
      <p className="hint">Each demand’s status and a dated note are shown beside it on the public page.</p>
      <ol className="demands">
        {demands.map((d) => {
          const errors = errorsFor('demand-status', d.id);
          const values = valuesFor('demand-status', d.id) ?? { status: d.status, note: d.statusNote ?? '', date: dayValue(d.statusDate) };
          return (
            <li key={d.id} data-testid="demand-outcome">
              <p>{d.text}</p>
              <p>
                <span className={`badge demand-${d.status.toLowerCase().replace('_', '-')}`}>{DEMAND_STATUS_LABELS[d.status]}</span>
                {d.statusDate ? <span className="hint"> since {formatDay(d.statusDate)}</span> : null}
                {d.statusNote ? <span className="multiline"> — {d.statusNote}</span> : null}
              </p>
              {canEdit ? (
                <Form method="post" noValidate className="panel compact">
                  <FormError errors={errors} />
                  <input type="hidden" name="targetId" value={d.id} />
                  <div className="field">
                    <label htmlFor={`status-${d.id}`}>Status</label>
                    <select id={`status-${d.id}`} name="status" defaultValue={values.status}>
                      {DEMAND_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {DEMAND_STATUS_LABELS[s]}
                        </option>
                      ))}
                    </select>
                    {errors.status ? <p className="error">{errors.status}</p> : null}
                  </div>
                  <DateAndNote idPrefix={d.id} values={values} errors={errors} />
                  <button type="submit" name="intent" value="demand-status">
                    Save the status
                  </button>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ol>

      <h2>Responses from addressees</h2>
      <p className="hint">
        {replyTo
          ? `Letters and digests go out with Reply-To: ${replyTo}, so addressees' replies arrive there. Log each reply here and it appears under that addressee's public delivery record.`
          : "Set a reply address on “Edit” so addressees' replies to letters and digests reach your team; log each reply here and it appears under that addressee's public delivery record."}
      </p>
      {addressees.map((a) => (
        <section key={a.id}>
          <h3>
            {a.name}, <span className="hint">{a.role}</span>
          </h3>
          {a.responses.length === 0 ? <p className="hint">No response logged.</p> : null}
          <ul className="responses">
            {a.responses.map((r) => (
              <li key={r.id}>
                <time dateTime={dayValue(r.date)}>{formatDay(r.date)}</time> — <span className="multiline">{r.summary}</span>{' '}
                {r.url ? (
                  <a href={r.url} rel="noopener noreferrer nofollow" target="_blank">
                    Link
                  </a>
                ) : null}
                {canEdit ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="targetId" value={r.id} />
                    <button type="submit" name="intent" value="remove-response" className="link-button">
                      Remove
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {canEdit && addressees.length > 0 ? (
        <Form method="post" noValidate className="panel">
          <h3>Log a response</h3>
          <FormError errors={errorsFor('add-response')} />
          <div className="field">
            <label htmlFor="response-addressee">From</label>
            <select id="response-addressee" name="addresseeId" defaultValue={valuesFor('add-response')?.addresseeId ?? addressees[0]!.id}>
              {addressees.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <TextField name="date" label="Date of the response" type="date" values={valuesFor('add-response')} errors={errorsFor('add-response')} required />
          <TextArea name="summary" label="Summary" rows={3} values={valuesFor('add-response')} errors={errorsFor('add-response')} maxLength={OUTCOME_LIMITS.summary} />
          <TextField name="url" label="Link to the response (optional)" type="url" values={valuesFor('add-response')} errors={errorsFor('add-response')} maxLength={OUTCOME_LIMITS.url} />
          <button type="submit" name="intent" value="add-response">
            Log the response
          </button>
        </Form>
      ) : null}

      <h2>Campaign timeline</h2>
      <EditableTimeline
        events={timeline}
        canEdit={canEdit}
        idField="targetId"
        limits={{ title: OUTCOME_LIMITS.title, description: OUTCOME_LIMITS.description }}
        values={valuesFor('add-event')}
        errors={errorsFor('add-event')}
      />
      {!canEdit ? (
        <p className="hint">As a viewer you can read this record; owners and editors keep it up to date.</p>
      ) : null}
    </>
  );
}

/** Date and note fields with ids unique per demand, since every demand has its own form. */
function DateAndNote({ idPrefix, values, errors }: { idPrefix: string; values: Record<string, string | undefined>; errors: Partial<Record<string, string>> }) {
  return (
    <>
      <div className={errors.date ? 'field invalid' : 'field'}>
        <label htmlFor={`date-${idPrefix}`}>Date (today if empty)</label>
        <input id={`date-${idPrefix}`} type="date" name="date" defaultValue={values.date} aria-invalid={!!errors.date} />
        {errors.date ? <p className="error">{errors.date}</p> : null}
      </div>
      <div className={errors.note ? 'field invalid' : 'field'}>
        <label htmlFor={`note-${idPrefix}`}>Note (optional)</label>
        <textarea id={`note-${idPrefix}`} name="note" rows={2} maxLength={OUTCOME_LIMITS.statusNote} defaultValue={values.note} aria-invalid={!!errors.note} />
        {errors.note ? <p className="error">{errors.note}</p> : null}
      </div>
    </>
  );
}
