// The TrueType fonts embedded in every report (DejaVu Sans, from the dejavu-fonts-ttf npm
// package): the PDF looks the same on every machine and Italian accents, €, arrows render.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../core/package-root';

const require = createRequire(join(packageRoot, 'package.json'));
const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const fontPaths = {
  regular: join(dir, 'DejaVuSans.ttf'),
  bold: join(dir, 'DejaVuSans-Bold.ttf'),
};
