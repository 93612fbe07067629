import { library } from '@gtorr/tsup-config';

export default library({ entry: ['src/index.ts', 'src/test.ts'] });
