// Reports as receiving mail servers write them, for the bounce listener's tests.

type Dsn = {
  /** The envelope sender of the failed message: the DSN goes back to it. */
  to: string;
  recipient: string;
  action?: 'failed' | 'delayed' | 'delivered';
  status?: string;
  diagnostic?: string;
  /** When false, the report leaves the Status field out (some servers do). */
  withStatus?: boolean;
};

const CRLF = '\r\n';

/** An RFC 3464 delivery status notification (multipart/report; report-type=delivery-status). */
export function dsnMessage({ to, recipient, action = 'failed', status = '5.1.1', diagnostic = 'smtp; 550 5.1.1 <x>: Recipient address rejected: User unknown', withStatus = true }: Dsn): string {
  const boundary = `dsn-${Math.random().toString(36).slice(2)}`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;${CRLF} boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I\'m sorry to have to inform you that your message could not be delivered.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'Arrival-Date: Fri,  4 Dec 2026 15:00:00 +0000 (UTC)',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    `Action: ${action}`,
    ...(withStatus ? [`Status: ${status}`] : []),
    'Remote-MTA: dns; inbox.example.net',
    // Folded, as long diagnostics are.
    `Diagnostic-Code: ${diagnostic.replace(': ', `:${CRLF}    `)}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `Return-Path: <${to}>`,
    `To: ${recipient}`,
    'Subject: Please confirm your signature',
    '',
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** An ARF complaint (RFC 5965): a recipient marked the message as spam. */
export function complaintMessage({ to, originalMailFrom, recipient }: { to: string; originalMailFrom: string; recipient: string }): string {
  const boundary = `arf-${Math.random().toString(36).slice(2)}`;
  return [
    'From: Feedback Loop <fbl@isp.example.net>',
    `To: ${to}`,
    'Subject: Abuse report',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '',
    `--${boundary}`,
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: SomeGenerator/1.0',
    'Version: 1',
    `Original-Mail-From: <${originalMailFrom}>`,
    `Original-Rcpt-To: <${recipient}>`,
    '',
    `--${boundary}`,
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    `Return-Path: <${originalMailFrom}>`,
    'From: Chorus <no-reply@chorus.example.org>',
    `To: ${recipient}`,
    'Subject: News from the campaign',
    '',
    'The hearing is on Monday.',
    '',
    `--${boundary}--`,
    '',
  ].join(CRLF);
}
