/** The outbox lease the crash-test child takes, so the test can wait for it to run out. */
export const CHILD_LEASE_MS = 3000;
