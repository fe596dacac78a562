import type { Phrase } from '../../../shared/errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { Language } from '../../../shared/i18n/languages';
import { UNSUBSCRIBE_LINK } from '../../../shared/model/draft';
import { compileField, renderProblem, type CompiledField } from './liquid';

/** A template's fields as text (a saved template, or one given to a merge). */
export interface TemplateFields {
  subject: string;
  html?: string;
  text?: string;
  listUnsubscribe?: string;
}

/** What one row's message says. */
export interface RenderedFields {
  subject: string;
  html?: string;
  text?: string;
  listUnsubscribe?: string;
}

export interface CompiledTemplate {
  variables: string[];
  render(scope: Record<string, unknown>): RenderedFields | { problem: Phrase };
}

const LINE_BREAK = /[\r\n\0\x7f]/;

/**
 * Parse every field once (a bad one refuses the template, naming it); each row is then only
 * rendered. `checked`: the rows were checked with it before (a merge's rows being sent), so a
 * render has a longer time limit (see liquid.ts).
 */
export function compileTemplate(t: TemplateFields, locale: Language, { checked = false } = {}): CompiledTemplate {
  const field = (source: string | undefined, html: boolean, label: Phrase): CompiledField | undefined => (source === undefined ? undefined : compileField(source, { html, locale, field: label, checked }));
  const subject = field(t.subject, false, phrase('err.field.subject'))!;
  const html = field(t.html, true, phrase('template.field.html'));
  const text = field(t.text, false, phrase('template.field.text'));
  const unsubscribe = field(t.listUnsubscribe, false, phrase('template.field.listUnsubscribe'));
  const variables = [...new Set([subject, html, text, unsubscribe].flatMap((f) => f?.variables ?? []))];
  return {
    variables,
    render(scope) {
      try {
        const out: RenderedFields = { subject: subject.render(scope) };
        // A value with a line break would start a header of its own (header injection).
        if (LINE_BREAK.test(out.subject)) return { problem: phrase('merge.problem.headerBreak', { field: phrase('err.field.subject') }) };
        if (html) out.html = html.render(scope);
        if (text) out.text = text.render(scope);
        if (unsubscribe) {
          const link = unsubscribe.render(scope).trim();
          if (!UNSUBSCRIBE_LINK.test(link)) return { problem: phrase('merge.problem.unsubscribe', { value: link.slice(0, 200) }) };
          out.listUnsubscribe = link;
        }
        return out;
      } catch (err) {
        const problem = renderProblem(err);
        if (problem) return { problem };
        throw err;
      }
    },
  };
}
