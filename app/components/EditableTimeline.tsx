// A dated timeline as organisers see it: the events, a way to remove one, and a form to add one.
// Used for a campaign's timeline and for a person's; each action names its hidden id field itself.
import { Form } from '@remix-run/react';
import { formatDay } from '../utils/dates.ts';
import { DatedTimeline } from './PeopleAtRisk.tsx';
import { FormError, TextArea, TextField } from './forms.tsx';

type Dated = { id: string; date: Date | string; title: string; description: string | null };

export function EditableTimeline(props: {
  events: Dated[];
  canEdit: boolean;
  /** Name of the hidden field that carries the event's id in the "remove-event" form. */
  idField: string;
  limits: { title: number; description: number };
  /** What the "add-event" form was last sent with, if it came back with errors. */
  values?: Partial<Record<string, unknown>>;
  errors?: Partial<Record<string, string | undefined>>;
}) {
  const { events, canEdit, values, errors } = props;
  return (
    <>
      {events.length === 0 ? <p className="hint">No events yet.</p> : null}
      <DatedTimeline events={events} />
      {canEdit && events.length > 0 ? (
        <details>
          <summary>Remove an event</summary>
          <ul>
            {events.map((e) => (
              <li key={e.id}>
                {formatDay(e.date)} — {e.title}{' '}
                <Form method="post" className="inline-form">
                  <input type="hidden" name={props.idField} value={e.id} />
                  <button type="submit" name="intent" value="remove-event" className="link-button">
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {canEdit ? (
        <Form method="post" noValidate className="panel">
          <h3>Add an event</h3>
          <FormError errors={errors} />
          <TextField name="date" label="Date" type="date" values={values} errors={errors} required />
          <TextField name="title" label="What happened" values={values} errors={errors} maxLength={props.limits.title} required />
          <TextArea name="description" label="Details (optional)" rows={3} values={values} errors={errors} maxLength={props.limits.description} />
          <button type="submit" name="intent" value="add-event">
            Add to the timeline
          </button>
        </Form>
      ) : null}
    </>
  );
}
