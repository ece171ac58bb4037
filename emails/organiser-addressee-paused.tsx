import { formatDateTime } from '../app/utils/dates.ts';
import { button, link, list, paragraph, strong } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

export type AddresseePausedData = {
  /** The owner's or editor's name, when they gave one. */
  name: string | null;
  campaignTitle: string;
  addresseeName: string;
  addresseeRole: string;
  addresseeEmail: string;
  /** Hard failures counted since the address last changed or deliveries were last resumed. */
  hardBounces: number;
  /** The last failure's status code and the remote server's words. */
  reason: string;
  pausedAt: Date;
  deliveriesUrl: string;
  addresseesUrl: string;
};

/**
 * To each owner and editor of a campaign, once, when Chorus paused an addressee by itself because its
 * address kept failing. Sent to the campaign's own team (verified accounts), so names are kept as typed.
 */
export function organiserAddresseePaused(data: AddresseePausedData): RenderedEmail {
  const failures = data.hardBounces === 1 ? 'one letter' : `${data.hardBounces} letters`;
  return renderEmail({
    subject: `Letters to ${data.addresseeName} are paused: their address does not work`,
    body: [
      paragraph(data.name ? `Hello ${data.name},` : 'Hello,'),
      paragraph(
        'Chorus has paused the letters of ',
        strong(data.campaignTitle),
        ` to ${data.addresseeName} (${data.addresseeRole}) on ${formatDateTime(data.pausedAt)}, because ${failures} to ${data.addresseeEmail} could not be delivered.`,
      ),
      paragraph('The last answer from their mail server was: ', strong(data.reason)),
      paragraph('Nothing is lost: every signature they are owed is kept and goes out once you resume. To fix it:'),
      list(
        [
          ['Find the current address of ', data.addresseeName, ' (offices often change them).'],
          ['Correct it on the ', link(data.addresseesUrl, 'Addressees'), ' tab.'],
          ['Resume deliveries on the ', link(data.deliveriesUrl, 'Deliveries'), ' tab, then send the failed deliveries again.'],
        ],
        true,
      ),
      button('Open the Deliveries tab', data.deliveriesUrl),
    ],
    signature: [['You get this because you are an owner or editor of this campaign on Chorus.']],
  });
}
