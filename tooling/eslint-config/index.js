// One flat config for every gtorr package: type-aware typescript-eslint, consistent type
// imports, no console in libraries. A package's eslint.config.js is one line:
//   export { default } from '@gtorr/eslint-config'        (libraries)
//   export { app as default } from '@gtorr/eslint-config' (apps/cli: may print)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ignores = { ignores: ['dist/**', 'coverage/**', 'node_modules/**', '*.config.*', '**/*.js', '**/*.mjs', '**/*.cjs'] };

function config({ allowConsole }) {
  return tseslint.config(
    ignores,
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true },
      },
      rules: {
        '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/consistent-type-exports': 'error',
        '@typescript-eslint/no-import-type-side-effects': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/only-throw-error': 'error',
        'no-console': allowConsole ? 'off' : 'error',
        eqeqeq: ['error', 'always'],
      },
    },
    {
      // Tests and benchmarks may print and poke at internals.
      files: ['test/**', 'bench/**'],
      rules: {
        'no-console': 'off',
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
      },
    },
  );
}

export default config({ allowConsole: false });
export const app = config({ allowConsole: true });
