// Hanko Elements 2.7 as its README shows it: `register(apiUrl)`, then `<hanko-auth>` in the page
// (bench/pages.ts). Its API is the loopback stub in bench/server.ts (`/hanko/…`).
import { register } from '@teamhanko/hanko-elements';

await register(`${location.origin}/hanko`);
