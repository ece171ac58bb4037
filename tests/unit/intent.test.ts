// dispatchIntent is how every organiser action answers its buttons: these pin what it does with a known
// intent, an unknown one, a model's refusal and anything else.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { CampaignAdminError } from '../../app/models/campaign-guard.server.ts';
import { PersonAccessError, PersonNotFoundError } from '../../app/models/person.server.ts';
import { DomainError } from '../../app/utils/domain-error.ts';
import { UNKNOWN_INTENT, dispatchIntent, intentOf, withFields } from '../../app/utils/intent.server.ts';
import { InvalidInputError } from '../../app/validation/person.ts';

const post = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
};

/** A page's own error answer, recorded so the tests see what it was given. */
const fail = (errors: Partial<Record<string, string>>, status: number) => ({ failed: true as const, errors, status });

describe('dispatchIntent', () => {
  it('runs the handler named by the intent, with the form, and returns its answer', async () => {
    const form = post({ intent: 'remove', id: 'd1' });
    const seen: string[] = [];
    const answer = await dispatchIntent(
      form,
      {
        add: async () => 'added',
        remove: async (f, intent) => {
          seen.push(`${intent}:${f.get('id')}`);
          return 'removed';
        },
      },
      fail,
    );
    expect(answer).toBe('removed');
    expect(seen).toEqual(['remove:d1']);
  });

  it('answers an unknown, missing or inherited intent with 400 and a plain message, running nothing', async () => {
    let ran = 0;
    const handlers = { add: async () => ++ran };
    for (const fields of [{ intent: 'drop' }, {} as Record<string, string>, { intent: '' }, { intent: 'constructor' }, { intent: '__proto__' }, { intent: 'toString' }]) {
      await expect(dispatchIntent(post(fields), handlers, fail)).resolves.toEqual({ failed: true, errors: { form: UNKNOWN_INTENT }, status: 400 });
    }
    const file = new FormData();
    file.append('intent', new Blob(['add']), 'add');
    await expect(dispatchIntent(file, handlers, fail)).resolves.toMatchObject({ status: 400 });
    expect(ran).toBe(0);
  });

  it('answers with { errors } and the status by default', async () => {
    const answer = await dispatchIntent(post({ intent: 'nope' }), { add: async () => 'added' });
    expect(answer).toMatchObject({ data: { errors: { form: UNKNOWN_INTENT } }, init: { status: 400 } });
  });

  it('maps a model’s domain error to its status and field messages', async () => {
    const refusals: Array<[Error, ReturnType<typeof fail>]> = [
      [new CampaignAdminError('Already a member.', 409, 'email'), fail({ email: 'Already a member.' }, 409)],
      [new CampaignAdminError('Too many invitations.', 429), fail({ form: 'Too many invitations.' }, 429)],
      [new PersonAccessError(), fail({ form: new PersonAccessError().message }, 403)],
      [new PersonNotFoundError('That person is not linked to this campaign.'), fail({ form: 'That person is not linked to this campaign.' }, 404)],
      [new InvalidInputError({ date: 'Please enter a date.', title: 'Please enter a title.' }), fail({ date: 'Please enter a date.', title: 'Please enter a title.' }, 400)],
    ];
    for (const [error, expected] of refusals) {
      expect(error).toBeInstanceOf(DomainError);
      const answer = await dispatchIntent(post({ intent: 'go' }), { go: async () => Promise.reject(error) }, fail);
      expect(answer).toEqual(expected);
    }
  });

  it('lets other errors and thrown responses go on up', async () => {
    const bug = new TypeError('a bug');
    await expect(dispatchIntent(post({ intent: 'go' }), { go: async () => Promise.reject(bug) }, fail)).rejects.toBe(bug);
    const forbidden = new Response('no', { status: 403 });
    await expect(
      dispatchIntent(post({ intent: 'go' }), {
        go: () => {
          throw forbidden;
        },
      }),
    ).rejects.toBe(forbidden);
  });

  it('reads the intent as text only', () => {
    expect(intentOf(post({ intent: 'add' }))).toBe('add');
    expect(intentOf(post({}))).toBe('');
  });
});

describe('withFields', () => {
  const schema = z.object({ id: z.string().check(z.minLength(1, 'Which one?')) });

  it('runs the handler with the parsed fields', async () => {
    const handler = withFields(schema, () => 'invalid', (input, form) => `${input.id}/${form.get('intent')}`);
    await expect(handler(post({ intent: 'go', id: 'a1' }))).resolves.toBe('a1/go');
  });

  it('answers the first message per field and the sent values when they do not parse', async () => {
    const handler = withFields(schema, (errors, values) => ({ errors, values }), () => 'ran');
    await expect(handler(post({ id: '' }))).resolves.toEqual({ errors: { id: 'Which one?' }, values: { id: '' } });
  });
});
