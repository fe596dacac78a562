import type { Liquid, Template } from 'liquidjs';
import type { Phrase } from '../../../shared/errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { Language } from '../../../shared/i18n/languages';
import { MailwrightError, systemWords } from '../errors';
import { requireLater } from '../require-later';

const liquidjs = requireLater<typeof import('liquidjs')>('liquidjs');

/**
 * Liquid as a merge needs it (liquidjs, the language of Shopify's order notifications), strict:
 * a variable the row lacks, or an unknown filter, is an error — never a silent blank. An empty
 * value counts as lacking (see `rowScope`); `{% if coupon %}` and `| default:` may still test
 * for it. HTML bodies escape every value unless the template says `| raw`; subjects, plain
 * bodies and addresses are text.
 */
const common = {
  strictVariables: true,
  strictFilters: true,
  lenientIf: true,
  ownPropertyOnly: true,
  cache: false,
  // No file system: `{% include %}`, `{% render %}` and `{% layout %}` find nothing, so a template
  // (which a window may send) can never read a file of this machine.
  templates: {},
  // A template is data, not a program to trust: a loop over a billion items is stopped, not run.
  // The memory limit counts what ranges (1..n) and filters make; loops over a list that exists
  // already cost it nothing, so the time limit (one row's, see CHECKED_ROW) bounds those.
  renderLimit: 1_000,
  memoryLimit: 20_000_000,
  parseLimit: 20_000_000,
} as const;

const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;

function engine(escape: boolean, locale: Language): Liquid {
  const liquid = new (liquidjs().Liquid)({ ...common, locale, ...(escape ? { outputEscape: 'escape' as const } : {}) });
  // An Intl formatter costs far more to make than to use: one per kind, kept (10,000 rows, one each).
  const formatters = new Map<string, { format(v: number | Date): string }>();
  const formatter = (key: string, make: () => { format(v: number | Date): string }) => {
    let found = formatters.get(key);
    if (!found) formatters.set(key, (found = make()));
    return found;
  };
  // A date written the reader's way ("7 декабря 2026 г."): `{{ shipped | local_date: "long" }}`.
  liquid.registerFilter('local_date', (value: unknown, style: unknown = 'medium') => {
    const at = new Date(String(value));
    if (Number.isNaN(at.getTime())) throw new FilterProblem(phrase('merge.problem.notDate', { value: String(value) }));
    const dateStyle = DATE_STYLES.find((s) => s === style) ?? 'medium';
    // A bare date (2026-12-07) is that day wherever the reader is: written in UTC, not shifted by a zone.
    const utc = /^\d{4}-\d{2}-\d{2}$/.test(String(value).trim());
    return formatter(`date ${dateStyle} ${utc}`, () => new Intl.DateTimeFormat(locale, { dateStyle, ...(utc ? { timeZone: 'UTC' } : {}) })).format(at);
  });
  // An amount in a currency, the reader's way: `{{ total | money: "EUR" }}` → "€12.50" / "12,50 €".
  liquid.registerFilter('money', (value: unknown, currency: unknown = 'USD') => {
    const text = String(value).trim();
    const amount = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(amount)) throw new FilterProblem(phrase('merge.problem.notAmount', { value: text }));
    const code = String(currency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) throw new FilterProblem(phrase('merge.problem.notCurrency', { value: String(currency) }));
    return formatter(`money ${code}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency: code })).format(amount);
  });
  return liquid;
}

/** A filter's refusal of a row's value (a date that is not one): the row's problem, in its words. */
export class FilterProblem extends Error {
  constructor(readonly problem: Phrase) {
    super(problem.key);
  }
}

const engines = new Map<string, Liquid>();
const engineFor = (escape: boolean, locale: Language) => {
  const key = `${escape}:${locale}`;
  let found = engines.get(key);
  if (!found) engines.set(key, (found = engine(escape, locale)));
  return found;
};

/** One field of a template, parsed once and rendered per row. */
export interface CompiledField {
  render(scope: Record<string, unknown>): string;
  /** The top-level names it reads (`customer` for `{{ customer.name }}`). */
  variables: string[];
}

/**
 * A row rendered again to be sent was rendered within a second when it was checked: it is given
 * ten times that, so a busy machine (a collection, another process) does not turn a checked row
 * into a refused one, while a template that does more work at send time than it did when checked
 * (one that reads the clock) is still stopped, its row skipped with why.
 */
const CHECKED_ROW = { renderLimit: 10_000 };

/**
 * Parse a field: a syntax error or an unknown filter refuses the whole template, naming the field.
 * `checked`: its rows were checked before (a merge's rows being sent): see CHECKED_ROW.
 */
export function compileField(source: string, opts: { html: boolean; locale: Language; field: Phrase; checked: boolean }): CompiledField {
  const liquid = engineFor(opts.html, opts.locale);
  let parsed: Template[];
  let variables: string[];
  try {
    parsed = liquid.parse(source);
    // Reading the variables also follows `{% include %}` and the like, which find no file here:
    // such a template is refused now, as one that is not valid.
    variables = liquid.globalVariablesSync(parsed).map(String);
  } catch (err) {
    throw new MailwrightError('INVALID_INPUT', { message: phrase('err.template.syntax', { field: opts.field }), hint: phrase('err.template.syntax.hint'), quote: systemWords(err) }, { cause: err });
  }
  const limits = opts.checked ? CHECKED_ROW : undefined;
  return { variables, render: (scope) => liquid.renderSync(parsed, scope, limits) as string };
}

/** Why rendering a row failed, as the row's problem (a missing variable, a filter's refusal); anything else is thrown on. */
export function renderProblem(err: unknown): Phrase | undefined {
  if (err instanceof FilterProblem) return err.problem;
  const original = (err as { originalError?: unknown }).originalError;
  if (original instanceof FilterProblem) return original.problem;
  if ((err as Error)?.name === 'UndefinedVariableError') {
    const name = (original as { variableName?: unknown } | undefined)?.variableName ?? (err as { token?: { getText?: () => string } }).token?.getText?.();
    return phrase('merge.problem.missing', { name: String(name ?? '?') });
  }
  // Any other failure of the template on this row's values (a limit reached, an include that finds
  // nothing, a filter given the wrong kind of value), in liquidjs's own words.
  // The time limit, when it runs out between the template's top-level parts, is thrown as it is.
  if ((err as Error)?.name === 'RenderError' || err instanceof liquidjs().AssertionError) return phrase('merge.problem.render', { detail: ((original as Error | undefined)?.message ?? (err as Error).message).slice(0, 300) });
  return undefined;
}

/**
 * A row's values as a template sees them: an empty cell is absent (strict mode then refuses
 * `{{ it }}`), so a column left blank is never sent as a blank in the middle of a sentence.
 */
export function rowScope(row: Record<string, unknown>): Record<string, unknown> {
  const scope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(row)) if (v !== '' && v !== null && v !== undefined) scope[k] = v;
  return scope;
}
