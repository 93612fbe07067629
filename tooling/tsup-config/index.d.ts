import type { Options } from 'tsup';
export declare function library(overrides?: Options): Options;
declare const config: Options;
export default config;
