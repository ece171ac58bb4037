import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Notice } from '../components/campaign-fields.tsx';
import { FormError, TextArea } from '../components/forms.tsx';
import { addDemand, listDemands, moveDemand, removeDemand, updateDemand } from '../models/demand.server.ts';
import { roleAtLeast } from '../models/membership.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent, intentOf } from '../utils/intent.server.ts';
import { CAMPAIGN_LIMITS, demandSchema, formValues, moveDirectionField } from '../validation/campaign.ts';
import { fieldErrors } from '../validation/forms.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { role, campaign } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const demands = await listDemands(campaign.id);
  const editId = new URL(request.url).searchParams.get('edit');
  return { demands, canEdit: roleAtLeast(role, 'EDITOR'), editId: demands.some((d) => d.id === editId) ? editId : null, published: campaign.status !== 'DRAFT' && campaign.status !== 'IN_REVIEW' };
}

type Result = { intent: string; demandId: string | null; errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { campaign } = await requireCampaignRole(request, params.id ?? '', 'EDITOR');
  const form = await request.formData();
  const intent = intentOf(form);
  const demandId = typeof form.get('demandId') === 'string' ? String(form.get('demandId')) : null;
  const values = formValues(form, ['text'] as const, CAMPAIGN_LIMITS.demand + 1_000);
  const fail = (errors: Result['errors'], status: number) => data<Result>({ intent, demandId, errors, values }, { status });
  const done = (notice: string) => redirect(`/dashboard/c/${campaign.id}/demands?notice=${notice}`, 303);

  const save = async (write: (text: string) => Promise<unknown>, notice: string) => {
    const parsed = demandSchema.safeParse(values);
    if (!parsed.success) return fail(fieldErrors(parsed.error), 400);
    await write(parsed.data.text);
    return done(notice);
  };

  return dispatchIntent(
    form,
    {
      add: () => save((text) => addDemand(campaign.id, text), 'added'),
      update: () => save((text) => updateDemand(campaign.id, demandId ?? '', text), 'updated'),
      remove: async () => {
        await removeDemand(campaign.id, demandId ?? '');
        return done('removed');
      },
      move: async () => {
        const direction = moveDirectionField.safeParse(form.get('direction'));
        if (!direction.success) return fail({ form: 'Please choose whether to move the demand up or down.' }, 400);
        const moved = await moveDemand(campaign.id, demandId ?? '', direction.data);
        return done(moved ? 'moved' : 'not-moved');
      },
    },
    fail,
  );
}

const NOTICES: Record<string, string> = {
  added: 'Demand added.',
  updated: 'Demand saved.',
  removed: 'Demand removed.',
  moved: 'Demand moved.',
  'not-moved': 'That demand is already at the end of the list.',
};

export default function Demands() {
  const { demands, canEdit, editId, published } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  // A failed edit keeps its form open with what was typed, even without the ?edit= address.
  const editing = result?.intent === 'update' ? result.demandId : editId;
  return (
    <section className="editor">
      <h2>Demands</h2>
      <p className="hint">What the campaign asks for, in order. Every letter to an addressee lists them.</p>
      {published ? <p className="hint">People have already signed these demands: change their wording only to fix mistakes.</p> : null}
      <Notice message={result ? null : NOTICES[searchParams.get('notice') ?? '']} />
      <FormError errors={result?.errors} />
      {demands.length === 0 ? <p>No demands yet.</p> : null}
      <ol className="demand-list">
        {demands.map((d, i) => (
          <li key={d.id} data-testid="demand">
            {editing === d.id && canEdit ? (
              <Form method="post" noValidate aria-label={`Edit demand ${i + 1}`}>
                <input type="hidden" name="intent" value="update" />
                <input type="hidden" name="demandId" value={d.id} />
                <TextArea
                  name="text"
                  label={`Demand ${i + 1}`}
                  rows={3}
                  maxLength={CAMPAIGN_LIMITS.demand}
                  values={result?.intent === 'update' ? result.values : { text: d.text }}
                  errors={result?.intent === 'update' ? result.errors : undefined}
                />
                <button type="submit" disabled={busy}>
                  Save demand
                </button>{' '}
                <Link to=".">Cancel</Link>
              </Form>
            ) : (
              <>
                <span className="demand-text">{d.text}</span>
                {canEdit ? (
                  <div className="row-actions">
                    <MoveButton demandId={d.id} direction="up" number={i + 1} disabled={i === 0 || busy} />
                    <MoveButton demandId={d.id} direction="down" number={i + 1} disabled={i === demands.length - 1 || busy} />
                    <Link className="button secondary" to={`?edit=${d.id}`}>
                      Edit<span className="visually-hidden"> demand {i + 1}</span>
                    </Link>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="demandId" value={d.id} />
                      <button type="submit" className="secondary" disabled={busy}>
                        Remove<span className="visually-hidden"> demand {i + 1}</span>
                      </button>
                    </Form>
                  </div>
                ) : null}
              </>
            )}
          </li>
        ))}
      </ol>
      {canEdit && !editing ? (
        demands.length >= CAMPAIGN_LIMITS.maxDemands ? (
          <p className="hint">A campaign can have at most {CAMPAIGN_LIMITS.maxDemands} demands.</p>
        ) : (
          <Form method="post" noValidate aria-label="Add a demand" key={demands.length}>
            <input type="hidden" name="intent" value="add" />
            <h3>Add a demand</h3>
            <TextArea
              name="text"
              label="New demand"
              rows={3}
              maxLength={CAMPAIGN_LIMITS.demand}
              values={result?.intent === 'add' ? result.values : undefined}
              errors={result?.intent === 'add' ? result.errors : undefined}
              hint={`One clear request, up to ${CAMPAIGN_LIMITS.demand.toLocaleString('en')} characters.`}
            />
            <button type="submit" disabled={busy}>
              Add demand
            </button>
          </Form>
        )
      ) : null}
    </section>
  );
}

function MoveButton({ demandId, direction, number, disabled }: { demandId: string; direction: 'up' | 'down'; number: number; disabled: boolean }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="demandId" value={demandId} />
      <input type="hidden" name="direction" value={direction} />
      <button type="submit" className="secondary" disabled={disabled}>
        Move {direction}
        <span className="visually-hidden"> demand {number}</span>
      </button>
    </Form>
  );
}
