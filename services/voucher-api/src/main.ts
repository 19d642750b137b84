// The API's command-line entry point. `npm start` runs it compiled (`npm run build`, see
// tools/build-server.ts); `tsx src/main.ts` runs it from the sources.
import { main } from './server.ts';

await main();
