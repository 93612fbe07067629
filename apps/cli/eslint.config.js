export { app as default } from '@gtorr/eslint-config';
