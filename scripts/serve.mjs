// `npm run serve -- [--port N]`: builds if needed, then serves the renderer on 127.0.0.1 only.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, ensureBuild } from './ensure-build.mjs';

ensureBuild();
createRequire(import.meta.url)(join(ROOT, 'out', 'main', 'serve.js'));
