import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'coverage/**', 'test-results/**', '.scratch-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'src/platform/views/assets/*.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The architecture, as lint: the public surface never reaches into case work, and no module reads another's repository.
    files: ['src/modules/directory/**', 'src/modules/support/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/referrals/**', '**/marac/**', '**/reviews/**'], message: 'The public surface must not import case-work modules.' }] }],
    },
  },
  {
    files: ['src/modules/**'],
    ignores: ['src/modules/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*/repository.js', '../../modules/*/repository.js'], message: "Use the other module's service, not its repository." }] }],
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts', 'src/platform/views/assets/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tools read their configuration from a default export.
    files: ['eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
