// Without zod: the page imports these too (test/unit/renderer-bundle.test.ts).

/**
 * SMTP connections an account's mail goes out on at once. Microsoft 365 refuses a fourth ("432
 * 4.3.2 concurrent connection limit exceeded"), so three unless the user says their server
 * allows more (a bulk send to a server of their own goes faster on more).
 */
export const DEFAULT_CONNECTIONS = 3;
export const MAX_CONNECTIONS = 10;
