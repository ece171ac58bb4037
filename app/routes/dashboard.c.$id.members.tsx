import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Notice } from '../components/campaign-fields.tsx';
import { FormError, SelectField, TextField } from '../components/forms.tsx';
import { changeMemberRole, inviteMember, listMembers, removeMember } from '../models/member.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent, intentOf } from '../utils/intent.server.ts';
import { clientIp } from '../utils/http.server.ts';
import { formValues, inviteMemberSchema, memberRoleField } from '../validation/campaign.ts';
import { fieldErrors } from '../validation/forms.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { role, campaign, user } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const members = await listMembers(campaign.id);
  return { members, isOwner: role === 'OWNER', myUserId: user.id };
}

type Result = { intent: string; memberId: string | null; errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { campaign, user } = await requireCampaignRole(request, params.id ?? '', 'OWNER');
  const form = await request.formData();
  const intent = intentOf(form);
  const memberId = typeof form.get('memberId') === 'string' ? String(form.get('memberId')) : null;
  const values = formValues(form, ['email', 'role'] as const, 1_000);
  const fail = (errors: Result['errors'], status: number) => data<Result>({ intent, memberId, errors, values }, { status });
  const done = (notice: string) => redirect(`/dashboard/c/${campaign.id}/members?notice=${notice}`, 303);

  return dispatchIntent(
    form,
    {
      invite: async () => {
        const parsed = inviteMemberSchema.safeParse(values);
        if (!parsed.success) return fail(fieldErrors(parsed.error), 400);
        await inviteMember(campaign.id, parsed.data.email, parsed.data.role, { userId: user.id, ip: clientIp(context) });
        return done('invited');
      },
      role: async () => {
        const role = memberRoleField.safeParse(values.role);
        if (!role.success) return fail({ form: 'Please choose a role.' }, 400);
        await changeMemberRole(campaign.id, memberId ?? '', role.data);
        return done('role-changed');
      },
      remove: async () => {
        const removed = await removeMember(campaign.id, memberId ?? '');
        // Someone who left the campaign can no longer open its pages.
        return removed.userId === user.id ? redirect('/dashboard', 303) : done('removed');
      },
    },
    fail,
  );
}

const NOTICES: Record<string, string> = {
  invited: 'Member added. We are emailing them that they were added and how to sign in.',
  'role-changed': 'Role changed.',
  removed: 'Member removed.',
};

const ROLE_OPTIONS = [
  { value: 'EDITOR', label: 'Editor — can edit and publish' },
  { value: 'VIEWER', label: 'Viewer — can look, not change' },
  { value: 'OWNER', label: 'Owner — can also manage members and delete drafts' },
] as const;

const ROLE_NAME: Record<string, string> = { OWNER: 'Owner', EDITOR: 'Editor', VIEWER: 'Viewer' };

export default function Members() {
  const { members, isOwner, myUserId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  return (
    <section className="editor">
      <h2>Members</h2>
      <p className="hint">Owners manage members; editors edit and publish; viewers can see the dashboard.</p>
      <Notice message={result ? null : NOTICES[searchParams.get('notice') ?? '']} />
      {result?.intent !== 'invite' ? <FormError errors={result?.errors} /> : null}
      <table className="data">
        <thead>
          <tr>
            <th>Member</th>
            <th>Role</th>
            <th>Invitation email</th>
            {isOwner ? <th>Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id} data-testid="member-row">
              <td>
                {m.user.name ? `${m.user.name} (${m.user.email})` : m.user.email}
                {m.user.id === myUserId ? ' — you' : null}
              </td>
              <td>
                {isOwner ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="memberId" value={m.id} />
                    <select name="role" defaultValue={m.role} aria-label={`Role of ${m.user.email}`}>
                      {ROLE_OPTIONS.map((o) => (
                        <option key={o.value} value={o.value}>
                          {ROLE_NAME[o.value]}
                        </option>
                      ))}
                    </select>{' '}
                    <button type="submit" className="secondary" disabled={busy}>
                      Change role<span className="visually-hidden"> of {m.user.email}</span>
                    </button>
                  </Form>
                ) : (
                  ROLE_NAME[m.role]
                )}
              </td>
              <td>{m.notifiedAt ? 'Sent' : m.user.id === myUserId ? '—' : 'Not sent yet'}</td>
              {isOwner ? (
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="memberId" value={m.id} />
                    <button type="submit" className="secondary" disabled={busy}>
                      Remove<span className="visually-hidden"> {m.user.email}</span>
                    </button>
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {isOwner ? (
        <Form method="post" noValidate aria-label="Add a member" key={members.length}>
          <h3>Add a member</h3>
          <p className="hint">They get an email saying they were added; they sign in with a link sent to that address. An account is created for them if they have none.</p>
          <input type="hidden" name="intent" value="invite" />
          <FormError errors={result?.intent === 'invite' ? result.errors : undefined} />
          <TextField name="email" label="Email" type="email" values={result?.intent === 'invite' ? result.values : undefined} errors={result?.intent === 'invite' ? result.errors : undefined} maxLength={254} />
          <SelectField name="role" label="Role" options={ROLE_OPTIONS} values={result?.intent === 'invite' ? result.values : { role: 'EDITOR' }} errors={result?.intent === 'invite' ? result.errors : undefined} />
          <button type="submit" disabled={busy}>
            Add member
          </button>
        </Form>
      ) : (
        <p className="hint">Only owners can add or remove members.</p>
      )}
    </section>
  );
}
