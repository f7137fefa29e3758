// Type-aware lint for the whole workspace, zero warnings (see package.json "lint").
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'tmp/**',
      'coverage/**',
      '.nx/**',
      // A host app compiled against the packed packages in a temporary folder (its own deps).
      'tools/consumer/host/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // apps → resume → core; the fake provider (the core's embedded default and every
          // test's upstream) depends on nothing of ours; nothing depends on an app or a tool.
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'scope:app',
              onlyDependOnLibsWithTags: [
                'scope:resume',
                'scope:core',
                'scope:telemetry',
                'scope:testing',
              ],
            },
            {
              sourceTag: 'scope:resume',
              onlyDependOnLibsWithTags: ['scope:core', 'scope:testing'],
            },
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:testing'] },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:telemetry', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // process.env is read only by the config layer and the app entry points.
    files: ['libs/**/*.ts'],
    ignores: ['libs/ai-gateway/src/config/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through GatewayConfigService.',
        },
      ],
    },
  },
  {
    // Tests use a lib the way a host does: through its package name (`@ai-gateway/core`,
    // `@ai-gateway/core/testing`, `@ai-gateway/resume/testing`), never a path into its src/.
    files: ['apps/*/test/**/*.ts', 'libs/*/test/**/*.ts', 'tools/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(libs|apps)/',
              message:
                'Import the lib by its package name (@ai-gateway/core, @ai-gateway/core/testing, @ai-gateway/resume/testing), not a path into its sources.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
