// Worker threads do not inherit tsx's module hooks from `--import tsx`; register them here
// (as bin/vae.js does), then load the TypeScript replica.
import { register } from 'tsx/esm/api';

register();
await import('./dp-worker.ts');
