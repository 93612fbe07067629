export { default } from '@gtorr/tsup-config';
