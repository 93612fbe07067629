export { default } from '@gtorr/eslint-config';
