/** The rooms' import rules (eslint.config.js) really fire: cycles, app/, and runtime imports across rooms. */
import { lintProbes } from './lint-probes';

const probes: Record<string, string> = {
  // A folder cycle: services/ imports domain/, so domain/ importing services/ would close one.
  'domain/probe-folder-cycle.tmp.ts':
    "import { createDubanClient } from '../services/facade';\nexport const x = createDubanClient;\n",
  'services/probe-app.tmp.ts': "import { run } from '../app/main';\nexport const x = run;\n",
  'test/probe-app.tmp.ts': "import { run } from '../app/main';\nexport const x = run;\n",
  'web/probe-store.tmp.ts': "import { openStore } from '../store';\nexport const x = openStore;\n",
  'web/probe-store-type.tmp.ts': "import type { Store } from '../store';\nexport type S = Store;\n",
  'http/probe-activities.tmp.ts':
    "import { createMailer } from '../activities/mailer';\nexport const x = createMailer;\n",
  'activities/probe-workflow.tmp.ts':
    "import { taskWorkflow } from '../workflows/task';\nexport const x = taskWorkflow;\n",
  'activities/probe-messages.tmp.ts':
    "import { stateQuery } from '../workflows/task-messages';\nexport const x = stateQuery;\n",
  'store/probe-services.tmp.ts':
    "import { resolveTaskId } from '../services/facade';\nexport const x = resolveTaskId;\n",
  // A file cycle inside one room.
  'services/probe-cycle-a.tmp.ts':
    "import { b } from './probe-cycle-b.tmp';\nexport const a = (): number => b() + 1;\n",
  'services/probe-cycle-b.tmp.ts':
    "import { a } from './probe-cycle-a.tmp';\nexport const b = (): number => a() - 1;\n",
};
let found: Record<string, string> = {};

beforeAll(() => {
  found = lintProbes(probes);
});

test.each([
  ['domain/probe-folder-cycle.tmp.ts', 'domain/ does not import services/'],
  ['services/probe-app.tmp.ts', 'services/ does not import app/'],
  ['test/probe-app.tmp.ts', 'nothing imports app/'],
  ['web/probe-store.tmp.ts', 'web/ imports store/ with `import type` only'],
  ['http/probe-activities.tmp.ts', 'http/ does not import activities/'],
  ['activities/probe-workflow.tmp.ts', "activities/ imports only workflows' message modules"],
  ['store/probe-services.tmp.ts', 'store/ does not import services/'],
  ['services/probe-cycle-a.tmp.ts', 'import-x/no-cycle'],
  ['services/probe-cycle-b.tmp.ts', 'import-x/no-cycle'],
])('%s is refused: %s', (file, why) => {
  expect(found[file]).toContain(why);
});

test.each(['web/probe-store-type.tmp.ts', 'activities/probe-messages.tmp.ts'])('%s is allowed', (file) => {
  expect(found[file]).toBe('');
});
