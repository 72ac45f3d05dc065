#!/bin/sh
# `npm run faults`: the fault scenarios in real Chromium at full size, then docs/RELIABILITY.md
# from the figures they measured (bench/results/faults/*.json). Exits with the tests' status.
cd "$(dirname "$0")/.." || exit 1
rm -rf bench/results/faults
FAULTS_FULL=1 npx playwright test --project=shared e2e/drops.spec.ts e2e/reconnectStampede.spec.ts e2e/tabCrash.spec.ts \
  e2e/slowTab.spec.ts e2e/workerDeath.spec.ts e2e/badFrames.spec.ts e2e/tokenExpiry.spec.ts e2e/hostileTab.spec.ts \
  e2e/leader.spec.ts e2e/hiddenLeader.spec.ts e2e/soak.spec.ts e2e/clusterFailover.spec.ts e2e/rabbitRestart.spec.ts
status=$?
npx tsx scripts/faultsReport.ts && npx prettier --write docs/RELIABILITY.md >/dev/null || exit 1
exit $status
