// `npm run -s cli -- <command> …`: runs the command-line entry from the build (no Electron needed).
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, ensureBuild } from './ensure-build.mjs';

ensureBuild();
createRequire(import.meta.url)(join(ROOT, 'out', 'main', 'cli.js'));
