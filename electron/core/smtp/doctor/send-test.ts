import nodemailer from 'nodemailer';
import type { DoctorInput } from './doctor';
import { smtpSettings } from '../smtp-options';

/** The doctor's optional last phase: one real, plainly labelled test message, only when the user asks. */
export async function sendTestMessage(input: DoctorInput, to: string): Promise<string> {
  const settings = await smtpSettings(
    { id: 'doctor', name: 'doctor', displayName: '', email: input.email, host: input.host, port: input.port, security: input.security, username: input.username, pinnedCertSha256: input.pinnedCertSha256 },
    input.password ?? null,
  );
  const transport = nodemailer.createTransport({ ...settings, disableFileAccess: true, disableUrlAccess: true });
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
