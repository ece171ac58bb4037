import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { endSession } from '../models/user.server.ts';
import { clearSessionCookie, readSessionId } from '../utils/session.server.ts';

export async function action({ request }: ActionFunctionArgs) {
  const sessionId = await readSessionId(request);
  if (sessionId) await endSession(sessionId);
  return redirect('/', { headers: { 'Set-Cookie': await clearSessionCookie() } });
}

export async function loader() {
  return redirect('/');
}
