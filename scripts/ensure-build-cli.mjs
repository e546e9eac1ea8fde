// `node scripts/ensure-build-cli.mjs`: builds out/ if it is missing or stale (used before e2e runs).
import { ensureBuild } from './ensure-build.mjs';

ensureBuild();
