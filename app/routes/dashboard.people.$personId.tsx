import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { EditableTimeline } from '../components/EditableTimeline.tsx';
import { Fact, PersonStatusBadge } from '../components/PeopleAtRisk.tsx';
import { PERSON_FORM_FIELDS, PersonForm, formValues } from '../components/PersonForm.tsx';
import { FormError, TextArea, TextField } from '../components/forms.tsx';
import {
  PersonNotFoundError,
  addPersonEvent,
  announcementTargets,
  canEditPerson,
  canViewPerson,
  changePersonStatus,
  personForOrganiser,
  removePersonEvent,
  updatePerson,
} from '../models/person.server.ts';
import { requireUser } from '../guards/auth.server.ts';
import { dispatchIntent, intentOf } from '../utils/intent.server.ts';
import { PERSON_LIMITS, PERSON_STATUSES, PERSON_STATUS_LABELS, dayValue } from '../validation/person.ts';

const notFound = () => data({ message: 'We could not find that person.' }, { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const person = await personForOrganiser(user.id, params.personId ?? '');
  if (!person) throw notFound();
  const targets = person.canEdit ? await announcementTargets(user.id, person.id) : [];
  const done = new URL(request.url).searchParams.get('done');
  return {
    person,
    targets,
    flash: done ? (FLASH[done] ?? null) : null,
    // The profile form's values, as the inputs expect them.
    profileValues: {
      name: person.name,
      role: person.role,
      photoUrl: person.photoUrl ?? '',
      residence: person.residence ?? '',
      dateOfBirth: dayValue(person.dateOfBirth),
      charges: person.charges ?? '',
      healthNotes: person.healthNotes ?? '',
      healthNotesPublic: person.healthNotesPublic ? 'on' : '',
      story: person.story,
      sourceOrg: person.sourceOrg ?? '',
      sourceDate: dayValue(person.sourceDate),
    } as Record<string, string>,
  };
}

const FLASH: Record<string, string> = {
  profile: 'The profile was saved.',
  event: 'The event was added to the timeline.',
  'event-removed': 'The event was removed.',
  status: 'The status was changed and recorded on the timeline.',
  announced: 'The status was changed, and the announcement is being sent to the signers who asked for updates.',
  'announce-draft': 'The status was changed, but an announcement could not be started; it is waiting as a draft on the campaign’s Updates tab.',
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? 'Person'} — Chorus dashboard` }];

type Confirm = { status: string; statusLabel: string; note: string; date: string; campaigns: Array<{ id: string; title: string; recipients: number }> };
type ActionResult = { intent: string; errors: Partial<Record<string, string>>; values: Record<string, string>; confirm?: Confirm };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const personId = params.personId ?? '';
  // Authorization before anything else: those who cannot see the person get the same 404 as for an
  // unknown id; those who can see but not edit it get a 403 whatever they posted.
  if (!(await canViewPerson(user.id, personId))) throw notFound();
  if (!(await canEditPerson(user.id, personId))) {
    throw data({ message: 'You can read this profile but not change it; ask an editor of a campaign about this person.' }, { status: 403 });
  }
  const form = await request.formData();
  const intent = intentOf(form);
  const back = (done: string) => redirect(`/dashboard/people/${personId}?done=${done}`, 303);
  const values = formValues(form, [...PERSON_FORM_FIELDS, 'date', 'title', 'description', 'note']);
  // A person that is gone (PersonNotFoundError, 404) is the not-found page, as for an unknown id.
  const fail = (errors: ActionResult['errors'], status: number) => {
    if (status === 404) throw notFound();
    return data<ActionResult>({ intent, errors, values }, { status });
  };
  return dispatchIntent(
    form,
    {
      'save-profile': async () => {
        await updatePerson(user.id, personId, values);
        return back('profile');
      },
      'add-event': async () => {
        await addPersonEvent(user.id, personId, { date: values.date, title: values.title, description: values.description });
        return back('event');
      },
      'remove-event': async () => {
        // Already gone (a double click, or another organiser) is the outcome that was asked for.
        await removePersonEvent(user.id, personId, String(form.get('eventId') ?? '')).catch((error) => {
          if (!(error instanceof PersonNotFoundError)) throw error;
        });
        return back('event-removed');
      },
      'change-status': async () => {
        const announce = form.getAll('announce').map(String);
        const input = { status: values.status, note: values.note, date: values.date };
        // An announcement emails people: the organiser sees who and how many, and confirms first.
        if (announce.length > 0 && form.get('confirmed') !== 'yes') {
          const targets = (await announcementTargets(user.id, personId)).filter((t) => announce.includes(t.id));
          if (targets.length !== announce.length) {
            return fail({ form: 'You can only announce to public campaigns about this person that you own or edit.' }, 403);
          }
          const status = PERSON_STATUSES.find((s) => s === values.status);
          if (!status) return fail({ status: 'Please choose a status from the list.' }, 400);
          return {
            intent,
            errors: {},
            values,
            confirm: { status, statusLabel: PERSON_STATUS_LABELS[status], note: values.note ?? '', date: values.date ?? '', campaigns: targets },
          } satisfies ActionResult;
        }
        const result = await changePersonStatus(user.id, personId, input, { announceToCampaignIds: announce });
        if (result.announcements.some((a) => a.recipientCount === null)) return back('announce-draft');
        return back(result.announcements.length > 0 ? 'announced' : 'status');
      },
    },
    fail,
  );
}

export default function PersonDashboard() {
  const { person, targets, flash, profileValues } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const errorsFor = (intent: string) => (result?.intent === intent ? result.errors : {});
  const valuesFor = (intent: string) => (result?.intent === intent ? result.values : undefined);
  return (
    <>
      <p className="hint">
        <Link to="/dashboard/people">People at risk</Link> ·{' '}
        {person.isPublic ? <a href={`/people/${person.slug}`}>Public profile</a> : <span>Not public yet: link the profile to a published campaign</span>}
      </p>
      <h1>{person.name}</h1>
      <p>
        <PersonStatusBadge status={person.status} label={person.statusLabel} />
      </p>
      {flash ? (
        <p className="flash" role="status">
          {flash}
        </p>
      ) : null}
      {!person.canEdit ? (
        <p className="hint">You can read this profile as a member of one of its campaigns. Only its creator and the owners and editors of its campaigns can change it.</p>
      ) : null}

      <h2>Campaigns about {person.name}</h2>
      {person.campaigns.length === 0 ? <p className="hint">Not linked to any campaign yet.</p> : null}
      <ul>
        {person.campaigns.map((c) => (
          <li key={c.id}>
            {c.myRole ? <Link to={`/dashboard/c/${c.id}/people`}>{c.title}</Link> : c.title} <span className="hint">({c.status.toLowerCase().replace('_', ' ')})</span>
          </li>
        ))}
      </ul>

      {person.canEdit ? <StatusChange current={person.status} targets={targets} result={result?.intent === 'change-status' ? result : undefined} /> : null}

      <h2>Timeline</h2>
      <EditableTimeline
        events={person.events}
        canEdit={person.canEdit}
        idField="eventId"
        limits={{ title: PERSON_LIMITS.eventTitle, description: PERSON_LIMITS.eventDescription }}
        values={valuesFor('add-event')}
        errors={errorsFor('add-event')}
      />

      <h2>Profile</h2>
      {person.canEdit ? (
        <PersonForm values={valuesFor('save-profile') ?? profileValues} errors={errorsFor('save-profile')} withStatus={false} submitLabel="Save the profile" />
      ) : (
        <dl className="facts">
          <dt>Role</dt>
          <dd>{person.role}</dd>
          <Fact term="Place of residence" value={person.residence} />
          <Fact term="Charges" value={person.charges} multiline />
          <Fact term={`Health notes (${person.healthNotesPublic ? 'public' : 'organisers only'})`} value={person.healthNotes} multiline />
        </dl>
      )}
    </>
  );
}

function StatusChange({ current, targets, result }: { current: string; targets: Array<{ id: string; title: string; recipients: number }>; result?: ActionResult }) {
  const confirm = result?.confirm;
  if (confirm) {
    const total = confirm.campaigns.reduce((n, c) => n + c.recipients, 0);
    return (
      <section className="panel" aria-labelledby="confirm-announcement">
        <h2 id="confirm-announcement">Confirm the announcement</h2>
        <p>
          The status will become <strong>{confirm.statusLabel}</strong>, and an update will be emailed to{' '}
          <strong data-testid="announcement-recipients">{total.toLocaleString('en')}</strong> {total === 1 ? 'signer' : 'signers'} who asked for updates:
        </p>
        <ul>
          {confirm.campaigns.map((c) => (
            <li key={c.id}>
              {c.title}: {c.recipients.toLocaleString('en')}
            </li>
          ))}
        </ul>
        {confirm.note ? <blockquote className="multiline">{confirm.note}</blockquote> : null}
        <p className="hint">Emails cannot be recalled once sent. Each one carries an unsubscribe link.</p>
        <Form method="post">
          <input type="hidden" name="status" value={confirm.status} />
          <input type="hidden" name="note" value={confirm.note} />
          <input type="hidden" name="date" value={confirm.date} />
          {confirm.campaigns.map((c) => (
            <input key={c.id} type="hidden" name="announce" value={c.id} />
          ))}
          <input type="hidden" name="confirmed" value="yes" />
          <button type="submit" name="intent" value="change-status">
            Change the status and send the announcement
          </button>{' '}
          <Link to="." className="button secondary">
            Cancel
          </Link>
        </Form>
      </section>
    );
  }
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  return (
    <Form method="post" noValidate className="panel">
      <h2>Change the status</h2>
      <FormError errors={errors} />
      <div className={errors.status ? 'field invalid' : 'field'}>
        <label htmlFor="status-select">New status</label>
        <select id="status-select" name="status" defaultValue={values.status ?? current}>
          {PERSON_STATUSES.map((s) => (
            <option key={s} value={s}>
              {PERSON_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        {errors.status ? <p className="error">{errors.status}</p> : null}
      </div>
      <TextField name="date" label="Since (optional; today if empty)" type="date" values={values} errors={errors} />
      <TextArea name="note" label="Note (optional)" hint="What happened. It goes on the timeline and into the announcement." rows={3} values={values} errors={errors} maxLength={PERSON_LIMITS.statusNote} />
      {targets.length > 0 ? (
        <fieldset className="field">
          <legend>Announce to signers of:</legend>
          {targets.map((t) => (
            <label key={t.id} className="check">
              <input type="checkbox" name="announce" value={t.id} /> {t.title} ({t.recipients.toLocaleString('en')} {t.recipients === 1 ? 'signer' : 'signers'} asked for updates)
            </label>
          ))}
          <p className="hint">You will be asked to confirm before anything is sent.</p>
        </fieldset>
      ) : null}
      <button type="submit" name="intent" value="change-status">
        Change the status
      </button>
    </Form>
  );
}
