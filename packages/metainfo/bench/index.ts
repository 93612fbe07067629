// Every benchmark of @gtorr/metainfo, one after another. Run: pnpm bench (in this folder).
await import('./create.js');
