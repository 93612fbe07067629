import { library } from '@gtorr/tsup-config';

// The app is a bin, not a library: no declarations; the entry keeps its shebang.
export default library({ entry: ['src/bin.ts'], dts: false });
