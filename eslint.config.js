import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: 'TemplateLiteral > Identifier[name=/^(sql|query)$/]',
        message: 'Build SQL with Kysely or the sql`` tag, never by string interpolation.',
      }],
    },
  },
  {
    // systemScope() is for jobs, seeds, migrations and tools only: never in routes or services.
    files: ['src/server/modules/**/routes.ts', 'src/server/modules/**/service.ts', 'src/server/modules/**/repo.ts', 'src/web/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '../../platform/scope.js', importNames: ['systemScope'], message: 'systemScope() is for jobs, seeds and tools only.' }] }],
    },
  },
);
