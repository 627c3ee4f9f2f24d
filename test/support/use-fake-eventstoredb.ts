// Jest setup of the `eventstoredb-fake` project: the HTTP suites run on the EventStoreDB adapter,
// each app's log on its own test-only fake EventStoreDB server (see test-app.ts).
process.env.LEDGER_TEST_EVENT_STORE = 'fake-eventstoredb';
