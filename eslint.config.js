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
    // One caller and scope contract (README, "Data scope"): a module gets its scopes from the
    // caller its route hands it. Building a scope from a path, or a caller of the system, is for
    // the platform, jobs, seeds and tools; a subtree filter is platform/scope.ts's inSubtree, a
    // search box's text is containsText/startsWithText, never a LIKE written by hand.
    files: ['src/server/modules/**/*.ts'],
    ignores: ['src/server/modules/**/*.test.ts', 'src/server/modules/**/*-job.ts', 'src/server/modules/**/*-worker.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: '../../platform/scope.js', importNames: ['scopeFor', 'subtreeScope', 'systemScope'], message: 'A module takes its scope from its caller (platform/caller.ts); scopes are built in the platform and in jobs only.' },
          { name: '../../platform/caller.js', importNames: ['systemCaller', 'jobCaller', 'officerCaller'], message: 'Callers are made by the platform (requestCaller) and by jobs only.' },
        ],
      }],
      'no-restricted-syntax': ['error', {
        selector: 'TemplateLiteral > Identifier[name=/^(sql|query)$/]',
        message: 'Build SQL with Kysely or the sql`` tag, never by string interpolation.',
      }, {
        selector: 'Literal[value=/^i?like$/i]',
        message: 'Use inSubtree/inSubtreeOf (org paths) or containsText/startsWithText (search boxes) from platform/scope.ts.',
      }, {
        selector: 'TemplateElement[value.raw=/\\bi?like\\b/i]',
        message: 'Use inSubtree/inSubtreeOf (org paths) or containsText/startsWithText (search boxes) from platform/scope.ts.',
      }],
    },
  },
  {
    files: ['src/web/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**'], message: 'The web app talks to the server over HTTP only.' }] }],
    },
  },
);
