import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/dom/ declares its own environment (jsdom) per file.
    environment: 'node',
    // A guard against hangs, not a speed check: many tests start real servers and child processes,
    // and a fresh CI machine compiles everything cold.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for what the app does next (a reply from main, a re-render): vitest's 1 s
    // default was close to what a loaded 2-core CI machine needs for a round trip.
    expect: { poll: { timeout: 10_000 } },
    // Integration tests start real SMTP servers and child processes; two workers suit the 2-core machines we run on.
    maxWorkers: 2,
    // The From domain's check (the doctor, a merge's check) never asks the machine's DNS from a
    // test: a port where nothing listens answers at once that it cannot. Tests of the check name
    // their own server (dnsmasq on loopback, test/helpers/dns-server.ts).
    env: { MAILWRIGHT_DNS_SERVERS: '127.0.0.1:1' },
    // Fails the run when a test leaves a `mailwright` or Chromium process behind.
    globalSetup: ['test/helpers/leak-check.ts'],
  },
});
