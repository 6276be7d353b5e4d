/** Where `npm run matrix` collects the per-test-file coverage dumps. */
export const MATRIX_DUMP_DIR = 'node_modules/.cache/tcpsim-matrix';
