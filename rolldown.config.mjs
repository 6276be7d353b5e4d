/**
 * The command line as a few files (dist/bundle/tcpsim.js and its lazily loaded chunks), which Node
 * starts much faster than ~150 separate modules. Built after tsc by `npm run build`; real mode
 * stays outside the bundle (it spawns dist/ files of its own), imported from dist/cli/.
 */
export default {
  input: { tcpsim: 'dist/cli/main.js' },
  platform: 'node',
  output: { dir: 'dist/bundle', format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', cleanDir: true, minify: true, charset: 'ascii' },
};
