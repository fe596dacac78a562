import type { Security } from '../../../../shared/model/account';
import { SmtpDialogue } from '../../smtp/doctor/smtp-dialogue';
import { TranscriptRecorder } from '../../smtp/transcript';

/** Does an SMTP server greet at host:port (after a TLS handshake for implicit TLS)? Certificates are not judged here: the doctor does that. */
export async function probeSmtp(host: string, port: number, security: Security, timeoutMs: number): Promise<boolean> {
  const dialogue = new SmtpDialogue(new TranscriptRecorder({ secrets: [] }));
  try {
    await dialogue.connect(host, port, timeoutMs, security === 'tls' ? { servername: host, rejectUnauthorized: false } : undefined);
    const greeting = await dialogue.read(timeoutMs);
    return greeting.code === 220;
  } catch {
    return false;
  } finally {
    dialogue.close();
  }
}
