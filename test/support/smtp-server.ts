import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly headers: string;
}

export interface TestSmtpServer {
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Makes the server answer RCPT TO with this SMTP status (e.g. 451, 550) until set back to undefined. */
  refuseRecipientsWith: number | undefined;
  /** Resolves once at least `count` messages (of those `which` picks) have arrived: tests wait on events, never on sleeps. */
  waitForCount(count: number, which?: (mail: ReceivedMail) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server on a free local port, as a mail relay would be, recording what it is given. */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const waiters: Array<{ count: number; which: (mail: ReceivedMail) => boolean; resolve: () => void }> = [];
  const arrived = (waiter: { count: number; which: (mail: ReceivedMail) => boolean }) => received.filter(waiter.which).length >= waiter.count;
  const received: ReceivedMail[] = [];
  const state: { refuse: number | undefined } = { refuse: undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.refuse === undefined) {
        callback();
        return;
      }
      const error = Object.assign(new Error(`Refused for the test (${String(state.refuse)})`), { responseCode: state.refuse });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.mailFrom, session.envelope.rcptTo.map((rcpt) => rcpt.address)));
        for (const waiter of waiters.filter(arrived)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${String(port)}`,
    received,
    get refuseRecipientsWith() {
      return state.refuse;
    },
    set refuseRecipientsWith(code: number | undefined) {
      state.refuse = code;
    },
    waitForCount(count: number, which: (mail: ReceivedMail) => boolean = () => true) {
      if (arrived({ count, which })) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ count, which, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(resolve);
      }),
  };
}

function parse(raw: string, mailFrom: false | { address: string }, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const unfolded = headers.replace(/\r\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const quotedPrintable = /^Content-Transfer-Encoding: quoted-printable$/im.test(unfolded);
  const body = raw.slice(split + 4).replace(/\r\n$/, '');
  const text = quotedPrintable
    ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
    : body;
  return { from: mailFrom ? mailFrom.address : '', to, subject, text: text.replace(/\r\n/g, '\n'), headers: unfolded };
}
