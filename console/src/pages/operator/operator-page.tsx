// For an admin key: the projection's state, a rebuild with live progress to the switch, a what-if of a plan,
// the API keys.
import { useEffect, useState } from 'preact/hooks';
import { api, must } from '../../api/client';
import { useApi } from '../../use-api';
import { ProjectionStatus } from './projection-status';
import { RebuildPanel } from './rebuild-panel';
import { WhatIfPanel } from './what-if-panel';
import { KeysPanel } from './keys-panel';

const POLL_MS = 2_000;

export function OperatorPage() {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  const status = useApi(() => must(api.GET('/projections')), [tick]);
  return (
    <section>
      <h1>Operator</h1>
      <ProjectionStatus status={status} />
      <RebuildPanel onSwitched={() => setTick((t) => t + 1)} />
      <WhatIfPanel />
      <KeysPanel />
    </section>
  );
}
