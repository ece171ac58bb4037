import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { AddresseeFields, Notice } from '../components/campaign-fields.tsx';
import { FormError } from '../components/forms.tsx';
import { addAddressee, listAddressees, removeAddressee, updateAddressee } from '../models/addressee.server.ts';
import { roleAtLeast } from '../models/membership.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent, intentOf } from '../utils/intent.server.ts';
import { ADDRESSEE_FIELDS, CAMPAIGN_LIMITS, addresseeSchema, formValues, type AddresseeInput } from '../validation/campaign.ts';
import { fieldErrors } from '../validation/forms.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { role, campaign } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const canEdit = roleAtLeast(role, 'EDITOR');
  const addressees = await listAddressees(campaign.id);
  const editId = new URL(request.url).searchParams.get('edit');
  return {
    // Viewers do not need the addressees' email addresses.
    addressees: addressees.map((a) => (canEdit ? a : { ...a, email: '' })),
    canEdit,
    editId: addressees.some((a) => a.id === editId) ? editId : null,
  };
}

type Result = { intent: string; addresseeId: string | null; errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { campaign } = await requireCampaignRole(request, params.id ?? '', 'EDITOR');
  const form = await request.formData();
  const intent = intentOf(form);
  const addresseeId = typeof form.get('addresseeId') === 'string' ? String(form.get('addresseeId')) : null;
  const values = formValues(form, ADDRESSEE_FIELDS, 1_000);
  const fail = (errors: Result['errors'], status: number) => data<Result>({ intent, addresseeId, errors, values }, { status });
  const done = (notice: string) => redirect(`/dashboard/c/${campaign.id}/addressees?notice=${notice}`, 303);
  const save = async (write: (input: AddresseeInput) => Promise<unknown>, notice: string) => {
    const parsed = addresseeSchema.safeParse(values);
    if (!parsed.success) return fail(fieldErrors(parsed.error), 400);
    await write(parsed.data);
    return done(notice);
  };

  return dispatchIntent(
    form,
    {
      add: () => save((input) => addAddressee(campaign.id, input), 'added'),
      update: () => save((input) => updateAddressee(campaign.id, addresseeId ?? '', input), 'updated'),
      remove: async () => {
        await removeAddressee(campaign.id, addresseeId ?? '');
        return done('removed');
      },
    },
    fail,
  );
}

const NOTICES: Record<string, string> = {
  added: 'Addressee added.',
  updated: 'Addressee saved.',
  removed: 'Addressee removed.',
};

const NEW_ADDRESSEE = { deliveryMode: 'PER_SIGNATURE', digestIntervalMinutes: '1440', lettersPerHour: '600' };

function deliverySummary(a: { deliveryMode: string; digestIntervalMinutes: number; lettersPerHour: number }) {
  return a.deliveryMode === 'DIGEST'
    ? `Digest every ${a.digestIntervalMinutes.toLocaleString('en')} minutes`
    : `A letter per signature (at most ${a.lettersPerHour.toLocaleString('en')} an hour)`;
}

export default function Addressees() {
  const { addressees, canEdit, editId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const editing = result?.intent === 'update' ? result.addresseeId : editId;
  const edited = addressees.find((a) => a.id === editing);
  const errorsShownInForm = (result?.intent === 'update' && !!edited) || (result?.intent === 'add' && !edited);
  return (
    <section className="editor">
      <h2>Addressees</h2>
      <p className="hint">The people or offices that receive the letters. Their names and roles are public; their email addresses are not.</p>
      <Notice message={result ? null : NOTICES[searchParams.get('notice') ?? '']} />
      {!errorsShownInForm ? <FormError errors={result?.errors} /> : null}
      {addressees.length === 0 ? (
        <p>No addressees yet.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Name and role</th>
              {canEdit ? <th>Email</th> : null}
              <th>Delivery</th>
              <th>Sent so far</th>
              {canEdit ? <th>Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {addressees.map((a) => (
              <tr key={a.id} data-testid="addressee-row">
                <td>
                  <strong>{a.name}</strong>, {a.role}
                </td>
                {canEdit ? <td>{a.email}</td> : null}
                <td>{deliverySummary(a)}</td>
                <td>
                  {a.lettersSent.toLocaleString('en')} letters, {a.signaturesDelivered.toLocaleString('en')} signatures
                </td>
                {canEdit ? (
                  <td className="row-actions">
                    <Link className="button secondary" to={`?edit=${a.id}`}>
                      Edit<span className="visually-hidden"> {a.name}</span>
                    </Link>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="addresseeId" value={a.id} />
                      <button type="submit" className="secondary" disabled={busy}>
                        Remove<span className="visually-hidden"> {a.name}</span>
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && edited ? (
        <Form method="post" noValidate aria-label={`Edit ${edited.name}`} key={edited.id}>
          <h3>Edit {edited.name}</h3>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="addresseeId" value={edited.id} />
          <FormError errors={result?.intent === 'update' ? result.errors : undefined} />
          <AddresseeFields values={result?.intent === 'update' ? result.values : edited} errors={result?.intent === 'update' ? result.errors : {}} />
          <button type="submit" disabled={busy}>
            Save addressee
          </button>{' '}
          <Link to=".">Cancel</Link>
        </Form>
      ) : null}
      {canEdit && !edited ? (
        addressees.length >= CAMPAIGN_LIMITS.maxAddressees ? (
          <p className="hint">A campaign can have at most {CAMPAIGN_LIMITS.maxAddressees} addressees.</p>
        ) : (
          <Form method="post" noValidate aria-label="Add an addressee" key={addressees.length}>
            <h3>Add an addressee</h3>
            <input type="hidden" name="intent" value="add" />
            <FormError errors={result?.intent === 'add' ? result.errors : undefined} />
            <AddresseeFields values={result?.intent === 'add' ? result.values : NEW_ADDRESSEE} errors={result?.intent === 'add' ? result.errors : {}} />
            <button type="submit" disabled={busy}>
              Add addressee
            </button>
          </Form>
        )
      ) : null}
    </section>
  );
}
