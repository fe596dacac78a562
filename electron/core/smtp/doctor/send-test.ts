import nodemailer from 'nodemailer';
import type { DoctorInput } from './doctor';
import { smtpSettings } from '../smtp-options';

/** The doctor's optional last phase: one real, plainly labelled test message, only when the user asks. */
export async function sendTestMessage(input: DoctorInput, to: string): Promise<string> {
  const account = { id: 'doctor', name: 'doctor', displayName: '', email: input.email, host: input.host, port: input.port, security: input.security, username: input.username, pinnedCertSha256: input.pinnedCertSha256 };
  const settings = await smtpSettings(account, input.username && input.password ? { kind: 'password', user: input.username, password: input.password } : { kind: 'none' });
  // OAuth2: the token the login phase just used (still fresh), handed over as nodemailer takes one.
  const auth = input.oauth ? { type: 'OAuth2' as const, user: input.oauth.user, accessToken: (await input.oauth.token()).token } : settings.auth;
  const transport = nodemailer.createTransport({ ...settings, auth, disableFileAccess: true, disableUrlAccess: true });
  try {
    const info = await transport.sendMail({
      from: input.email,
      to,
      subject: 'Mailwright test message',
      text: `This is a test message sent by Mailwright's SMTP settings test for ${input.email} via ${input.host}:${input.port}.\nIf you can read it, sending works.`,
    });
    return info.response;
  } finally {
    transport.close();
  }
}
